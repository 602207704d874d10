/**
 * What an update changed, in the one shape every `*.updated` audit entry records: the changed fields' names,
 * in the order considered, with their values before and after.
 */
export interface FieldDiffDetail {
  fields: string[];
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** Equal as stored: the same JSON (arrays and objects by content, key order included). */
export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The fields of `proposed` (undefined: not given) whose value differs from `current`'s: the changes to write
 * and the audit detail, null when nothing changed (so there is nothing to write, record or invalidate).
 */
export function diffFields<T extends object>(
  current: T,
  proposed: { [K in keyof T]?: T[K] | undefined },
): { changes: Partial<T>; detail: FieldDiffDetail | null } {
  const changes: Partial<T> = {};
  const detail: FieldDiffDetail = { fields: [], before: {}, after: {} };
  for (const field of Object.keys(proposed) as (keyof T & string)[]) {
    const value = proposed[field];
    if (value === undefined || sameValue(value, current[field])) continue;
    changes[field] = value;
    detail.fields.push(field);
    detail.before[field] = current[field];
    detail.after[field] = value;
  }
  return { changes, detail: detail.fields.length > 0 ? detail : null };
}
