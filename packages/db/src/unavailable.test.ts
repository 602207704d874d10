import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { createDatabase } from './client.ts';
import { createTestDatabase } from './testing.ts';
import { isDatabaseUnavailableError } from './unavailable.ts';

/** An error as pg, pg-pool or Node raise it: a message and, for most, a code. */
function failure(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

describe('isDatabaseUnavailableError', () => {
  test.each<[string, unknown, boolean]>([
    ['connection refused', failure('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), true],
    ['connection reset', failure('read ECONNRESET', 'ECONNRESET'), true],
    ['broken pipe', failure('write EPIPE', 'EPIPE'), true],
    ['network timeout', failure('connect ETIMEDOUT 10.0.0.1:5432', 'ETIMEDOUT'), true],
    ['unknown host', failure('getaddrinfo ENOTFOUND db', 'ENOTFOUND'), true],
    ['host unreachable', failure('connect EHOSTUNREACH 10.0.0.1:5432', 'EHOSTUNREACH'), true],
    ['connection lost', failure('Connection terminated unexpectedly'), true],
    ['connect timeout (pg)', failure('Connection terminated due to connection timeout'), true],
    ['pool wait timeout (pg-pool)', failure('timeout exceeded when trying to connect'), true],
    ['no answer within query_timeout', failure('Query read timeout'), true],
    [
      'a client broken by an earlier error',
      failure('Client has encountered a connection error and is not queryable'),
      true,
    ],
    ['SQLSTATE 08006 connection_failure', failure('connection failure', '08006'), true],
    ['SQLSTATE 08P01 protocol_violation', failure('protocol violation', '08P01'), true],
    [
      'SQLSTATE 57P01 admin_shutdown',
      failure('terminating connection due to administrator command', '57P01'),
      true,
    ],
    ['SQLSTATE 57P02 crash_shutdown', failure('terminating connection because of crash', '57P02'), true],
    ['SQLSTATE 57P03 cannot_connect_now', failure('the database system is starting up', '57P03'), true],
    ['SQLSTATE 53300 too_many_connections', failure('sorry, too many clients already', '53300'), true],
    [
      'SQLSTATE 57014 statement timeout',
      failure('canceling statement due to statement timeout', '57014'),
      true,
    ],
    [
      'several addresses all refused (AggregateError)',
      new AggregateError([failure('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], 'connect failed'),
      true,
    ],
    [
      'wrapped in a cause (tRPC, Kysely)',
      new Error('procedure failed', { cause: failure('Connection terminated unexpectedly') }),
      true,
    ],
    ['SQLSTATE 23505 unique_violation', failure('duplicate key value', '23505'), false],
    ['SQLSTATE 22003 numeric_value_out_of_range', failure('value out of range', '22003'), false],
    ['SQLSTATE 42P01 undefined_table', failure('relation does not exist', '42P01'), false],
    ['SQLSTATE 40001 serialization_failure', failure('could not serialize access', '40001'), false],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'id')"), false],
    ['a message that only mentions a connection', failure('Invalid connection string'), false],
    ['not an error', 'Connection terminated', false],
    ['nothing', undefined, false],
  ])('%s → %s', (_label, error, expected) => {
    expect(isDatabaseUnavailableError(error)).toBe(expected);
  });
});

describe('errors of a real driver', () => {
  test('a refused connection', async () => {
    const handle = await createDatabase({
      databaseUrl: 'postgres://postgres@127.0.0.1:1/none',
      onError: () => {},
    });
    const error = await handle.ping().catch((caught: unknown) => caught);
    expect(isDatabaseUnavailableError(error)).toBe(true);
    await handle.close();
  });

  // A server that accepts and never answers (the connection timeout): client.test.ts, beside its timing.

  test.runIf(process.env.DATABASE_URL)('PostgreSQL: a statement timeout, and a syntax error', async () => {
    const database = await createTestDatabase();
    const limited = await createDatabase({ databaseUrl: database.url, statementTimeoutMillis: 100 });
    try {
      const timedOut = await sql`select pg_sleep(2)`.execute(limited.db).catch((caught: unknown) => caught);
      expect(timedOut).toMatchObject({ code: '57014' });
      expect(isDatabaseUnavailableError(timedOut)).toBe(true);
      const wrong = await sql`select frm`.execute(limited.db).catch((caught: unknown) => caught);
      expect(isDatabaseUnavailableError(wrong)).toBe(false);
    } finally {
      await limited.close();
      await database.close();
    }
  });
});
