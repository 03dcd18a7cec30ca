// Invoking the shell's commands: the one place that calls `invoke`.
import { invoke } from '@tauri-apps/api/core';
import type { CommandName, Commands } from '../bindings/commands';
import { AppError, NOT_IN_APP_MESSAGE, toAppError } from './errors';

export function insideTauri(): boolean {
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
