/**
 * Case-insensitive "contains" for every script (conventions.md §Lists, `like:`)
 * on both runtimes. SQLite's lower() folds ASCII only, and D1 runs no custom
 * functions, so the folding the database cannot do is spelled out in the
 * statement: the needle is folded here (simple Unicode case folding: ä/Ä, σ/ς/Σ,
 * ß/ẞ, k/K/K), and in the column only the letters of the needle's case classes
 * are mapped onto their folded form, by replace() around lower(). A column value
 * then contains the folded needle exactly when it contains the needle in any case.
 * `%` and `_` stay literal (instr, not LIKE).
 */
import { type SQL, sql } from 'drizzle-orm';

/** The simple case fold of one code point: lower(upper(c)) where both are one code point. */
function foldOf(ch: string): string {
  const upper = ch.toUpperCase();
  const base = upper.length === ch.length || [...upper].length === 1 ? upper : ch;
  const lower = base.toLowerCase();
  if ([...lower].length === 1) return lower;
  const own = ch.toLowerCase();
  return [...own].length === 1 ? own : ch;
}

/** Every code point whose fold differs from itself, grouped by fold (built once, on the first `like:`). */
let classes: Map<string, string[]> | null = null;
function foldClasses(): Map<string, string[]> {
  if (classes) return classes;
  classes = new Map();
  for (let cp = 0; cp <= 0x1ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    const fold = foldOf(ch);
    if (fold === ch) continue;
    const members = classes.get(fold) ?? [];
    members.push(ch);
    classes.set(fold, members);
  }
  return classes;
}

/** The case fold of a text, code point by code point. */
export function foldCase(text: string): string {
  let out = '';
  for (const ch of text) out += foldOf(ch);
  return out;
}

/** The letters to map in the column for this needle: [variant, folded], leaving out what lower() does (A–Z). */
export function foldReplacements(needle: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const fold of foldCase(needle)) {
    if (seen.has(fold)) continue;
    seen.add(fold);
    for (const variant of foldClasses().get(fold) ?? []) {
      if (/^[A-Z]$/.test(variant) && variant.toLowerCase() === fold) continue;
      out.push([variant, fold]);
    }
  }
  return out;
}

/** More mappings than this in one filter is a 400 (each is a nested replace() in the statement). */
export const MAX_FOLD_REPLACEMENTS = 60;

const literal = (text: string) => sql.raw(`'${text.replaceAll("'", "''")}'`);

/** `column` contains `needle`, in any case. */
export function containsFolded(column: unknown, needle: string): SQL {
  let folded: SQL = sql`lower(${column})`;
  // the mapped letters are written into the statement (cased letters, never a quote), not bound: D1 binds at most 100
  for (const [variant, fold] of foldReplacements(needle)) folded = sql`replace(${folded}, ${literal(variant)}, ${literal(fold)})`;
  return sql`instr(${folded}, ${foldCase(needle)}) > 0`;
}
