import { TollgateError } from '@tollgate/domain';

export const NUL_CHARACTER_MESSAGE = 'Text may not contain the NUL character (\\u0000).';

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

/**
 * Where a raw input holds the NUL character, in a string or an object key: the path in the form of the
 * VALIDATION_FAILED details (`fields.0.name`, '' for the input itself), or null when it holds none.
 * Iterative, because a JSON body may nest deeper than the call stack allows.
 */
export function pathOfNulCharacter(input: unknown): string | null {
  const stack: Pending[] = [{ value: input, key: '', parent: null }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const { value } = entry;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return pathOf(entry);
    } else if (typeof value === 'object' && value !== null) {
      // Children pushed last to first, so that they are visited in document order.
      const entries = Array.isArray(value)
        ? value.map((item, index) => [String(index), item])
        : Object.entries(value);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, item] = entries[index] as [string, unknown];
        const child = { value: item, key, parent: entry };
        if (key.includes('\u0000')) return pathOf(child);
        stack.push(child);
      }
    }
  }
  return null;
}

/**
 * Refuses an input that holds the NUL character anywhere: PostgreSQL text cannot store it, so it would
 * otherwise fail at the database as an internal error, after the request had been authorised and counted.
 */
export function assertNoNulCharacter(input: unknown): void {
  if (input === undefined || input === null || typeof input === 'number' || typeof input === 'boolean')
    return;
  const path = pathOfNulCharacter(input);
  if (path !== null) {
    throw new TollgateError('VALIDATION_FAILED', undefined, [{ path, message: NUL_CHARACTER_MESSAGE }]);
  }
}
