import { describeBadCharacter } from './text-policy';

describe('text policy: what text may enter the permanent record', () => {
  it.each([
    ['Devanagari with a virama and a nukta', 'श्री आर. के. मिश्रा, मुग़लसराय'],
    ['a name needing a zero-width joiner', 'क्‍ष'],
    ['Tamil, Bengali and Gurmukhi', 'சென்னை কলকাতা ਅੰਮ੍ਰਿਤਸਰ'],
    ['an emoji (a valid surrogate pair)', 'cash 💰 bag'],
    ['Urdu, right to left, without controls', 'محمد'],
  ])('accepts %s as a line of text', (_what, text) => {
    expect(describeBadCharacter(text, 'line')).toBeUndefined();
  });

  it.each([
    ['NUL', 'Ram\u0000esh', 'U+0000', 4],
    ['BEL', 'a\u0007', 'U+0007', 2],
    ['ESC', '\u001b[31m', 'U+001B', 1],
    ['DEL', 'x\u007f', 'U+007F', 2],
    ['a C1 control (NEL)', 'x\u0085', 'U+0085', 2],
    ['a newline', 'line one\nline two', 'U+000A', 9],
    ['a tab', 'a\tb', 'U+0009', 2],
  ])('refuses %s in a line, naming the character and where it is', (_what, text, code, position) => {
    const reason = describeBadCharacter(text, 'line');
    expect(reason).toContain(code);
    expect(reason).toContain(`at character ${position}`);
    expect(reason).toContain('newlines and tabs are allowed only in free text');
  });

  it('allows newline and tab in free text, and nothing else of the controls', () => {
    expect(describeBadCharacter('seal 1 intact\n\tseal 2 broken', 'free')).toBeUndefined();
    expect(describeBadCharacter('seal\r\n', 'free')).toMatch(/U\+000D.*only newline and tab are allowed/);
    expect(describeBadCharacter('x\u0000', 'free')).toContain('U+0000');
  });

  it.each(['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'])(
    'refuses the bidirectional control %j in every kind of text',
    (control) => {
      for (const kind of ['line', 'free', 'code'] as const) {
        expect(describeBadCharacter(`invoice${control}fdp.exe`, kind)).toMatch(/bidirectional control U\+20[26][0-9A-E]/);
      }
    },
  );

  it.each([
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate', 'a\udc00b'],
    ['a high surrogate at the end', 'ab\ud83d'],
    ['two high surrogates', '\ud83d\ud83d'],
  ])('refuses %s', (_what, text) => {
    expect(describeBadCharacter(text, 'free')).toMatch(/lone UTF-16 surrogate/);
  });

  it.each(['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'])('refuses the invisible %j in codes only', (invisible) => {
    expect(describeBadCharacter(`FIR${invisible}112`, 'code')).toMatch(/invisible character/);
    expect(describeBadCharacter(`नाम${invisible}`, 'line')).toBeUndefined();
  });

  it('refuses codes with leading or trailing spaces', () => {
    expect(describeBadCharacter(' 112/2024', 'code')).toBe('must not begin or end with a space');
    expect(describeBadCharacter('112 / 2024', 'code')).toBeUndefined();
  });
});
