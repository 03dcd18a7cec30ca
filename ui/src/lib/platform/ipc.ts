// The two ways to reach the Tauri shell, for the platform's modules only
// (components import ../platform, never this file or @tauri-apps/api).
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { CommandName, Commands } from '../bindings/commands';
import { AppError, NOT_IN_APP_MESSAGE, toAppError } from './errors';

function insideTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

type Args<K extends CommandName> = Commands[K]['args'];

/**
 * Invokes a command of the shell, typed by the map generated from
 * crates/deskmate-api/src/rpc.rs: a renamed command, argument or field fails
 * the type check. Arguments cross as `{ args }` (camelCase keys).
 */
export async function call<K extends CommandName>(
  command: K,
  ...[args]: Record<symbol, never> extends Args<K> ? [Args<K>?] : [Args<K>]
): Promise<Commands[K]['result']> {
  if (!insideTauri()) {
    throw new AppError('internal', NOT_IN_APP_MESSAGE);
  }
  try {
    return await invoke<Commands[K]['result']>(command, { args: args ?? {} });
  } catch (reason) {
    throw toAppError(reason);
  }
}

/** Calls `handler` with every `event` of the shell until the returned function is called. */
export function subscribe<T>(event: string, handler: (payload: T) => void): () => void {
  if (!insideTauri()) {
    return () => {};
  }
  let stop: (() => void) | null = null;
  let stopped = false;
  listen<T>(event, (e) => handler(e.payload))
    .then((unlisten) => {
      if (stopped) {
        unlisten();
      } else {
        stop = unlisten;
      }
    })
    .catch(() => {
      // Without these events the screens show what they read when opened.
    });
  return () => {
    stopped = true;
    stop?.();
  };
}
