import { SCOPE_NAMES, type Scope } from './catalogue.ts';

const KNOWN_SCOPES: ReadonlySet<string> = new Set(SCOPE_NAMES);

// x:write → x:read and back, for the resources that have both.
const READ_INCLUDED_BY = new Map<Scope, Scope>();
const WRITE_INCLUDING = new Map<Scope, Scope>();
for (const name of SCOPE_NAMES) {
  if (!name.endsWith(':write')) continue;
  const read = `${name.slice(0, -':write'.length)}:read`;
  if (!isScope(read)) continue;
  READ_INCLUDED_BY.set(name, read);
  WRITE_INCLUDING.set(read, name);
}

/** Whether `value` is a known scope name. */
export function isScope(value: string): value is Scope {
  return KNOWN_SCOPES.has(value);
}

export type ParseScopesResult = { ok: true; scopes: Scope[] } | { ok: false; unknown: string[] };

/**
 * Validates scope strings from a request. Unknown strings are reported, never dropped (§4: they are a 400
 * UNKNOWN_SCOPE), each once in the order given; known ones come back deduplicated in catalogue order.
 */
export function parseScopes(input: readonly string[]): ParseScopesResult {
  const unknown = new Set<string>();
  for (const value of input) if (!isScope(value)) unknown.add(value);
  if (unknown.size > 0) return { ok: false, unknown: [...unknown] };
  return { ok: true, scopes: normalizeScopes(input as readonly Scope[]) };
}

/** Deduplicates scopes and sorts them in catalogue order, so equal sets look equal when stored or shown. */
export function normalizeScopes(scopes: Iterable<Scope>): Scope[] {
  const present = new Set(scopes);
  return SCOPE_NAMES.filter((name) => present.has(name));
}

/** The read scope that a write scope includes, or undefined for a read scope. */
export function readScopeOf(scope: Scope): Scope | undefined {
  return READ_INCLUDED_BY.get(scope);
}

/** The scopes together with the `x:read` that each `x:write` includes (§4: write ⊇ read). */
export function impliedScopes(scopes: Iterable<Scope>): Set<Scope> {
  const implied = new Set<Scope>();
  for (const scope of scopes) {
    implied.add(scope);
    const read = readScopeOf(scope);
    if (read) implied.add(read);
  }
  return implied;
}

/** Whether `granted` allows an action that requires `required`, honouring write ⊇ read. */
export function scopeSatisfies(granted: Iterable<Scope>, required: Scope): boolean {
  const write = WRITE_INCLUDING.get(required);
  if (granted instanceof Set) return granted.has(required) || (write !== undefined && granted.has(write));
  for (const scope of granted) if (scope === required || scope === write) return true;
  return false;
}
