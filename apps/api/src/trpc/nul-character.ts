import { TollgateError } from '@tollgate/domain';

export const NUL_CHARACTER_MESSAGE = 'Text may not contain the NUL character (\\u0000).';
export const LONE_SURROGATE_MESSAGE =
  'Text may not contain a lone UTF-16 surrogate (\\uD800–\\uDFFF without its pair): send well-formed Unicode.';

/**
 * Text PostgreSQL cannot store as it came: U+0000 (refused by `text` and `jsonb`) and a lone surrogate
 * (refused by `jsonb` as invalid JSON, silently turned into U+FFFD by `text`). With the `u` flag a surrogate
 * pair is one code point, so `\p{Cs}` matches only a surrogate without its pair.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what this looks for.
const UNSTORABLE = /[\u0000\p{Cs}]/u;

/** Where a raw input holds unstorable text, and why. */
export interface UnstorableText {
  /** The path in the form of the VALIDATION_FAILED details (`fields.0.name`, '' for the input itself). */
  path: string;
  message: string;
}

interface Pending {
  value: unknown;
  key: string;
  parent: Pending | null;
}

function pathOf(entry: Pending): string {
  const keys: string[] = [];
  for (let at: Pending | null = entry; at !== null && at.parent !== null; at = at.parent) keys.push(at.key);
  return keys.reverse().join('.');
}

function found(entry: Pending, text: string): UnstorableText | null {
  const match = UNSTORABLE.exec(text);
  if (match === null) return null;
  return {
    path: pathOf(entry),
    message: match[0] === '\u0000' ? NUL_CHARACTER_MESSAGE : LONE_SURROGATE_MESSAGE,
  };
}

/**
 * The first place, in document order, where a raw input holds U+0000 or a lone surrogate, in a string or an
 * object key; null when it holds none. Iterative, because a JSON body may nest deeper than the call stack allows.
 */
export function findUnstorableText(input: unknown): UnstorableText | null {
  const stack: Pending[] = [{ value: input, key: '', parent: null }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const { value } = entry;
    if (typeof value === 'string') {
      const result = found(entry, value);
      if (result !== null) return result;
    } else if (typeof value === 'object' && value !== null) {
      // Children pushed last to first, so that they are visited in document order.
      const entries = Array.isArray(value)
        ? value.map((item, index) => [String(index), item])
        : Object.entries(value);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, item] = entries[index] as [string, unknown];
        const child = { value: item, key, parent: entry };
        const result = found(child, key);
        if (result !== null) return result;
        stack.push(child);
      }
    }
  }
  return null;
}

/**
 * Refuses an input that holds U+0000 or a lone surrogate anywhere, as VALIDATION_FAILED naming the field: one
 * treatment for every field, whatever its column. Stored, such text would fail at the database as an internal
 * error after the request had been authorised and counted (U+0000 anywhere, a lone surrogate in JSON), or be
 * changed without a word (a lone surrogate in text becomes U+FFFD).
 */
export function assertStorableText(input: unknown): void {
  if (input === undefined || input === null || typeof input === 'number' || typeof input === 'boolean')
    return;
  const result = findUnstorableText(input);
  if (result !== null) throw new TollgateError('VALIDATION_FAILED', undefined, [result]);
}
