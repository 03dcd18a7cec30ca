// Translations, registered synchronously so the first render already has its strings.
import { addMessages, init, locale } from 'svelte-i18n';
import { writable } from 'svelte/store';
import { AppError, isErrorCode } from '../platform/errors';
import type { ErrorResponse } from '../platform/types';
import cs from './cs.json';
import en from './en.json';
import it from './it.json';
import sk from './sk.json';
import sl from './sl.json';

export const FALLBACK_LOCALE = 'en';

export const MESSAGES = { en, it, sl, sk, cs } as const;

export type Locale = keyof typeof MESSAGES;

export const LOCALES = Object.keys(MESSAGES) as Locale[];

/** The names of the languages, each in its own language. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  it: 'Italiano',
  sl: 'Slovenščina',
  sk: 'Slovenčina',
  cs: 'Čeština',
};

export function isLocale(value: string): value is Locale {
  return Object.hasOwn(MESSAGES, value);
}

/** The supported locale for a BCP 47 tag such as "sl-SI", else English. */
export function pickLocale(tag: string | null | undefined): Locale {
  const language = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return isLocale(language) ? language : FALLBACK_LOCALE;
}

let initialised = false;

/** Registers every language and picks the one of the system (navigator.language). */
export function setupI18n(tag: string | null | undefined = globalThis.navigator?.language): Locale {
  const chosen = pickLocale(tag);
  if (!initialised) {
    for (const code of LOCALES) {
      addMessages(code, MESSAGES[code]);
    }
    init({ fallbackLocale: FALLBACK_LOCALE, initialLocale: chosen });
    initialised = true;
  } else {
    locale.set(chosen);
  }
  if (typeof document !== 'undefined') {
    document.documentElement.lang = chosen;
  }
  return chosen;
}

/** The language the user chose in the app, or null while it follows the system's. */
export const chosenLanguage = writable<Locale | null>(null);

/** The language of the system (navigator.language), as the app supports it. */
export function systemLocale(): Locale {
  return pickLocale(globalThis.navigator?.language);
}

/**
 * Shows the app in the language the user chose (kept by the core, see
 * platform.setLanguage), or in the system's when `choice` is null.
 */
export function applyLanguage(choice: string | null): Locale {
  const chosen = choice === null ? null : pickLocale(choice);
  chosenLanguage.set(chosen);
  return setupI18n(chosen ?? globalThis.navigator?.language);
}

/** The `$_` formatter of svelte-i18n, as components pass it in. */
export type Translate = (
  id: string,
  options?: { values?: Record<string, string | number | boolean | Date | null | undefined> },
) => string;

/** Where an error happened: a rejected sign-in means wrong credentials. */
export type ErrorContext = 'sign-in' | 'general';

/** The line to show the user for a failed platform call. */
export function describeError(error: AppError, t: Translate, context: ErrorContext = 'general'): string {
  switch (error.code) {
    case 'unauthorized':
      return context === 'sign-in' ? t('errors.wrongCredentials') : t('errors.signedOut');
    case 'signed_out':
      return t('errors.signedOut');
    case 'network':
      return t('errors.network');
    case 'validation':
      return error.message;
    case 'forbidden':
      return t('errors.forbidden');
    case 'rate_limited':
      return t('errors.rateLimited');
    case 'right_withheld':
      return t('errors.rightWithheld');
    case 'invalid_email_domain':
      return t('errors.invalidEmailDomain');
    case 'mail_not_configured':
      return t('errors.mailNotConfigured');
    default:
      return t('errors.generic', { values: { message: error.message } });
  }
}

/**
 * Why the helpdesk refused an outbox item: the translated line when the code is
 * one the app knows, else the server's own message.
 */
export function describeRefusal(error: ErrorResponse, t: Translate): string {
  const code: unknown = error.code;
  return isErrorCode(code) ? describeError(new AppError(code, error.message), t) : error.message;
}
