import { TEXT_PATTERNS } from './field-patterns';
import { describeBadCharacter, type TextKind } from './text-policy';

const KINDS: TextKind[] = ['line', 'free', 'code'];

/** Every character of the Basic Multilingual Plane but the surrogates, which are not characters. */
function* bmpCharacters(): Generator<string> {
  for (let code = 0; code <= 0xffff; code++) if (code < 0xd800 || code > 0xdfff) yield String.fromCharCode(code);
}

describe('TEXT_PATTERNS, the text policy as documented patterns', () => {
  it.each(KINDS)(
    'accepts exactly the %s text describeBadCharacter accepts, for every BMP character alone, inside and at the edges',
    (kind) => {
      const disagreements: string[] = [];
      for (const char of bmpCharacters()) {
        for (const text of [char, `a${char}b`, `${char}ab`, `ab${char}`]) {
          const byPolicy = describeBadCharacter(text, kind) === undefined;
          if (TEXT_PATTERNS[kind].test(text) !== byPolicy)
            disagreements.push(`U+${char.charCodeAt(0).toString(16)} in ${JSON.stringify(text)}`);
        }
      }
      expect(disagreements.slice(0, 10)).toEqual([]);
    },
  );

  it('accepts Devanagari with its joiners in names, and refuses a code with a zero-width space', () => {
    expect(TEXT_PATTERNS.line.test('रमेश चंद्र क्‍ष')).toBe(true);
    expect(TEXT_PATTERNS.code.test('S-10\u200B01')).toBe(false);
    expect(TEXT_PATTERNS.free.test('line one\nline two\tend')).toBe(true);
    expect(TEXT_PATTERNS.line.test('line one\nline two')).toBe(false);
  });
});
