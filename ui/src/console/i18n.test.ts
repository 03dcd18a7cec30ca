import { describe, expect, it } from 'vitest';
import { CONSOLE_MESSAGES, pickConsoleLocale } from './i18n';

function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe("the console's languages", () => {
  it('each says everything English says, and nothing else', () => {
    const english = keys(CONSOLE_MESSAGES.en).sort();
    for (const [code, messages] of Object.entries(CONSOLE_MESSAGES)) {
      expect(keys(messages).sort(), code).toEqual(english);
    }
  });

  it("follows the browser's language, else English", () => {
    expect(pickConsoleLocale('sl-SI')).toBe('sl');
    expect(pickConsoleLocale('cs')).toBe('cs');
    expect(pickConsoleLocale('de-DE')).toBe('en');
    expect(pickConsoleLocale(undefined)).toBe('en');
  });
});
