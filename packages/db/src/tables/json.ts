import { type RawBuilder, sql } from 'kysely';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
export type JsonArray = JsonValue[];

/**
 * Wraps a value for a `jsonb` column. Always use it when writing jsonb: node-postgres sends a JavaScript
 * array as a PostgreSQL array literal (`{1,2}`), not as JSON, which would corrupt a jsonb array.
 */
export function jsonb<T>(value: T): RawBuilder<T> {
  return sql<T>`cast(${JSON.stringify(value)} as jsonb)`;
}
