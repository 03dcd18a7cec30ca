import { describe, expect, it } from 'vitest';
import { snippetParts } from './snippet';

describe('snippet parts', () => {
  it('flags the marked words and keeps the rest as text', () => {
    expect(snippetParts('…reached its 10 GB \u0002quota\u0003. We \u0002raised\u0003 it')).toEqual([
      { text: '…reached its 10 GB ', match: false },
      { text: 'quota', match: true },
      { text: '. We ', match: false },
      { text: 'raised', match: true },
      { text: ' it', match: false },
    ]);
  });

  it('leaves markup as text and never shows a stray marker', () => {
    expect(snippetParts('<img src=x onerror=alert(1)> \u0002<b>\u0003')).toEqual([
      { text: '<img src=x onerror=alert(1)> ', match: false },
      { text: '<b>', match: true },
    ]);
    expect(snippetParts('a\u0003b\u0002')).toEqual([
      { text: 'a', match: false },
      { text: 'b', match: false },
    ]);
    expect(snippetParts('')).toEqual([]);
  });
});
