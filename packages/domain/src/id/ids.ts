import { z } from 'zod';
import { encodeBase62Fixed, randomBase62 } from '../encoding/base62.ts';

/** Prefix of each kind of id, so an id says what it names (in logs, URLs and support requests). */
export const ID_PREFIXES = {
  organization: 'org',
  user: 'usr',
  membership: 'mem',
  session: 'ses',
  token: 'tok',
  audit: 'aud',
  repository: 'rep',
  review: 'rev',
  credit: 'crd',
  webhook: 'whk',
  event: 'evt',
  delivery: 'dlv',
  attempt: 'att',
  wiki: 'wik',
  leakReport: 'lkr',
  /** An HTTP request: its Request-Id (§7), never stored as a primary key. */
  request: 'req',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

// 62^8 ms lasts until the year ~8900; 14 random characters ≈ 83 bits keep same-millisecond ids apart.
const TIME_LENGTH = 8;
const RANDOM_LENGTH = 14;
const BODY_LENGTH = TIME_LENGTH + RANDOM_LENGTH;
const ID_SYNTAX = new RegExp(`^([a-z]{3})_[0-9A-Za-z]{${BODY_LENGTH}}$`);

const KIND_OF_PREFIX: ReadonlyMap<string, IdKind> = new Map(
  Object.entries(ID_PREFIXES).map(([kind, prefix]) => [prefix, kind as IdKind]),
);

/**
 * A new id such as `tok_0Q3ZbF7x4mK2pL9sV1cN8rT6wY`: prefix, 8 base62 characters of the millisecond time
 * (so ids sort by creation time as plain strings) and 14 random ones. Ids made in the same millisecond
 * are not ordered among themselves.
 */
export function newId(kind: IdKind, now: Date | number = Date.now()): string {
  const ms = typeof now === 'number' ? now : now.getTime();
  return `${ID_PREFIXES[kind]}_${encodeBase62Fixed(ms, TIME_LENGTH)}${randomBase62(RANDOM_LENGTH)}`;
}

/** The kind of a well-formed id, or null when the id is malformed or its prefix unknown. */
export function idKindOf(id: string): IdKind | null {
  const prefix = ID_SYNTAX.exec(id)?.[1];
  return prefix === undefined ? null : (KIND_OF_PREFIX.get(prefix) ?? null);
}

/** Schema for an id of one kind; anything else (another kind's id included) fails with a clear message. */
export function ZId(kind: IdKind) {
  const prefix = ID_PREFIXES[kind];
  return z.string().regex(new RegExp(`^${prefix}_[0-9A-Za-z]{${BODY_LENGTH}}$`), {
    error: `Expected a ${kind} id (${prefix}_…)`,
  });
}
