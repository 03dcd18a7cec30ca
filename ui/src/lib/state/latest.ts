/** Says whether the request it was handed to is still the latest one. */
export type IsCurrent = () => boolean;

/**
 * "Latest request wins": a slower, older answer must not overwrite a newer
 * one. `begin()` starts a request (the earlier ones become stale), `peek()`
 * joins the current one without making it stale (e.g. "Show more" on the
 * rows drawn), `cancel()` makes every request in flight stale.
 */
export interface Latest {
  begin(): IsCurrent;
  peek(): IsCurrent;
  cancel(): void;
}

export function latest(): Latest {
  let current = 0;
  const checker = (mine: number): IsCurrent => () => mine === current;
  return {
    begin: () => checker(++current),
    peek: () => checker(current),
    cancel: () => {
      current += 1;
    },
  };
}
