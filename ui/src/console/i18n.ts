// The console's strings in the app's languages, registered synchronously so
// the first render has them; the browser's language picks one.
import { addMessages, init } from 'svelte-i18n';
import cs from './i18n/cs.json';
import en from './i18n/en.json';
import it from './i18n/it.json';
import sk from './i18n/sk.json';
import sl from './i18n/sl.json';

export const CONSOLE_MESSAGES = { en, it, sl, sk, cs } as const;

export type ConsoleLocale = keyof typeof CONSOLE_MESSAGES;

/** The supported language of a BCP 47 tag such as "sl-SI", else English. */
export function pickConsoleLocale(tag: string | null | undefined): ConsoleLocale {
  const language = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return Object.hasOwn(CONSOLE_MESSAGES, language) ? (language as ConsoleLocale) : 'en';
}

export function setupConsoleI18n(tag: string | undefined = globalThis.navigator?.language): ConsoleLocale {
  const chosen = pickConsoleLocale(tag);
  for (const [code, messages] of Object.entries(CONSOLE_MESSAGES)) {
    addMessages(code, messages);
  }
  init({ fallbackLocale: 'en', initialLocale: chosen });
  document.documentElement.lang = chosen;
  return chosen;
}
