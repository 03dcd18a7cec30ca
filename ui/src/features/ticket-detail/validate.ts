import { BODY_MAX_CHARS } from '../new-ticket/validate';

/** The same limit as `NewMessage::validate` / `ReopenTicket::validate` (characters). */
export const TEXT_MAX_CHARS = BODY_MAX_CHARS;

export type TextProblem = 'required' | 'tooLong';

/** What is wrong with a reply or reopen text, if anything (counted as Rust counts chars). */
export function validateText(text: string): TextProblem | null {
  if (text.trim() === '') {
    return 'required';
  }
  if (Array.from(text).length > TEXT_MAX_CHARS) {
    return 'tooLong';
  }
  return null;
}
