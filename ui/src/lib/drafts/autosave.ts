// Debounced, one-at-a-time saving of a form as the user types.

/** How long typing must pause before the form is saved. */
export const AUTOSAVE_MS = 300;

export interface Autosave {
  /** (Re)starts the wait: `save` runs once typing has paused for the delay. */
  schedule(): void;
  /** Saves now if a save is waiting, then resolves when every save has finished. */
  flush(): Promise<void>;
  /** Drops a waiting save and resolves when the one running (if any) has finished. */
  settle(): Promise<void>;
}

/**
 * Runs `save` when typing pauses for `delayMs`. Saves never overlap (each
 * waits for the one before, so the second knows the id the first got), and a
 * failed save does not stop the next.
 */
export function autosave(save: () => Promise<void>, delayMs: number = AUTOSAVE_MS): Autosave {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let chain: Promise<void> = Promise.resolve();

  function run(): Promise<void> {
    chain = chain.then(save).catch(() => {});
    return chain;
  }

  function stopTimer(): boolean {
    if (timer === null) {
      return false;
    }
    clearTimeout(timer);
    timer = null;
    return true;
  }

  return {
    schedule() {
      stopTimer();
      timer = setTimeout(() => {
        timer = null;
        void run();
      }, delayMs);
    },
    flush() {
      return stopTimer() ? run() : chain;
    },
    settle() {
      stopTimer();
      return chain;
    },
  };
}
