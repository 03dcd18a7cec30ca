import { getMessageFormatter } from 'svelte-i18n';
import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors';
import { describeError, LOCALES, MESSAGES, pickLocale } from './index';
import type { Translate } from './index';
import en from './en.json';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const id = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') {
      out.set(id, value);
    } else {
      for (const [k, v] of flatten(value, id)) {
        out.set(k, v);
      }
    }
  }
  return out;
}

function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)/g)].map((m) => m[1] ?? '').sort();
}

const english = flatten(en);

describe('translations', () => {
  it('offers the five languages', () => {
    expect(LOCALES).toEqual(['en', 'it', 'sl', 'sk', 'cs']);
  });

  it.each(LOCALES)('%s has exactly the keys of en, none empty', (code) => {
    const messages = flatten(MESSAGES[code]);
    expect([...messages.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, value] of messages) {
      expect(value.trim(), `${code}: ${key}`).not.toBe('');
    }
  });

  it.each(LOCALES)('%s messages parse and use the placeholders of en', (code) => {
    for (const [key, value] of flatten(MESSAGES[code])) {
      expect(() => getMessageFormatter(value, code), `${code}: ${key}`).not.toThrow();
      expect(placeholders(value), `${code}: ${key}`).toEqual(placeholders(english.get(key) ?? ''));
    }
  });

  it('picks the language of the system, else English', () => {
    expect(pickLocale('sl-SI')).toBe('sl');
    expect(pickLocale('cs')).toBe('cs');
    expect(pickLocale('it_IT')).toBe('it');
    expect(pickLocale('SK-sk')).toBe('sk');
    expect(pickLocale('de-DE')).toBe('en');
    expect(pickLocale('')).toBe('en');
    expect(pickLocale(undefined)).toBe('en');
  });
});

describe('describeError', () => {
  const t: Translate = (id, options) => {
    const message = english.get(id) ?? id;
    return options?.values ? String(getMessageFormatter(message, 'en').format(options.values)) : message;
  };

  it('says wrong credentials when sign-in is refused', () => {
    expect(describeError(new AppError('unauthorized', 'bad'), t, 'sign-in')).toBe(
      'Wrong e-mail or password.',
    );
  });

  it('explains a network failure', () => {
    expect(describeError(new AppError('network', 'connection refused'), t)).toBe(
      'Cannot reach the helpdesk. Check the address and your connection.',
    );
  });

  it("shows the server's own validation message", () => {
    expect(describeError(new AppError('validation', 'subject must not be empty'), t)).toBe(
      'subject must not be empty',
    );
  });

  it('adds the detail to a generic line otherwise', () => {
    expect(describeError(new AppError('cache', 'database is locked'), t)).toBe(
      'Something went wrong: database is locked',
    );
  });
});
