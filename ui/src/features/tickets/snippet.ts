// A search hit's snippet, cut into plain-text pieces: never parsed as HTML.

/** Where a matched word starts in a snippet (as the core marks it). */
export const MARK_START = '\u0002';
/** Where a matched word ends. */
export const MARK_END = '\u0003';

export interface SnippetPart {
  text: string;
  /** A word that matched the search. */
  match: boolean;
}

/**
 * The snippet as text pieces, matched words flagged. Stray or unbalanced
 * markers never show: they only switch highlighting on or off.
 */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let match = false;
  let text = '';
  const flush = (): void => {
    if (text !== '') {
      parts.push({ text, match });
      text = '';
    }
  };
  for (const char of snippet) {
    if (char === MARK_START || char === MARK_END) {
      flush();
      match = char === MARK_START;
    } else {
      text += char;
    }
  }
  flush();
  return parts;
}
