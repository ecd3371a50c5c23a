/**
 * The written-out Unicode classes (src/http/unicode-classes.ts) hold exactly the
 * characters of the property escapes they stand for, so names validate as they
 * did with `\p{…}`; on a runtime with a newer Unicode, regenerate them.
 */
import { describe, expect, it } from 'vitest';
import { LETTERS, NAME_CHARACTERS, UNICODE_VERSION } from '../../src/http/unicode-classes';
import { name } from '../../src/http/schemas';

/** Code points where the two one-character patterns disagree. */
function differences(written: string, property: string): string[] {
  const a = new RegExp(`^[${written}]$`, 'u');
  const b = new RegExp(`^[${property}]$`, 'u');
  const out: string[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    if (a.test(ch) !== b.test(ch)) out.push(`U+${cp.toString(16).toUpperCase()}`);
  }
  return out;
}

describe('Unicode classes', () => {
  it(`were generated for this runtime's Unicode (${process.versions.unicode}); else run npm run unicode:classes`, () => {
    expect(UNICODE_VERSION).toBe(process.versions.unicode);
  });

  it('LETTERS is \\p{L} and NAME_CHARACTERS is [\\p{L}\\p{M}\\p{N}\\p{Zs}], code point for code point', () => {
    expect(differences(LETTERS, '\\p{L}')).toEqual([]);
    expect(differences(NAME_CHARACTERS, '\\p{L}\\p{M}\\p{N}\\p{Zs}')).toEqual([]);
  });

  it('let names be written in any script, with the punctuation Elevate allows, and nothing else', () => {
    const schema = name();
    for (const ok of ['Zoë Ångström', 'Ωmega', '東京 株式会社', '𠮷野家', 'नमस्ते', 'Smith & Sons (UK) Ltd.', "O'Brien – 50% off!", 'a\\b/c']) {
      expect(schema.safeParse(ok).success, ok).toBe(true);
    }
    for (const bad of ['<b>', 'a\u0000b', 'tab\there', 'line\nbreak', 'emoji 😀', '{x}', '"quoted"']) expect(schema.safeParse(bad).success, bad).toBe(false);
  });
});
