import { jsonb } from '@tollgate/db';
import { DEFAULT_POLICY, SCOPE_NAMES } from '@tollgate/domain';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server.ts';
import { createTestHarness, type SeededOrganization, type TestHarness } from './helpers/harness.ts';

/**
 * Property-based fuzzing of the REST facade from its own OpenAPI document (issue 12 §6): for every operation,
 * requests with odd path parameters, query values and bodies — wrong types, out-of-range numbers, huge
 * strings, deep nesting, U+0000, lone surrogates, `__proto__` keys, wrong content types — sent with a token of
 * every scope (and some without), over HTTP (Fastify's inject). Never a 5xx, never a stack trace, and every
 * error carries the §7 body.
 *
 * FUZZ_RUNS sets the requests per operation (default 25, bounded further by a time budget so CI stays well
 * under a minute); a failure prints fast-check's seed and path to replay it (FUZZ_SEED and FUZZ_PATH).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const LONG_RUN = process.env.FUZZ_RUNS !== undefined;
/** The whole file's time budget in CI, shared out among the operations. */
const BUDGET_MS = 30_000;
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Schema = Record<string, unknown>;

interface Operation {
  method: Method;
  path: string;
  pathParams: string[];
  query: { name: string; schema: Schema }[];
  body: Schema | null;
}

let h: TestHarness;
let app: FastifyInstance;
let org: SeededOrganization;
let fullToken: string;
let narrowToken: string;
let operations: Operation[];
/** Real ids of the organisation's objects, so that some requests get past "not found" to deeper checks. */
const ids: string[] = [];
let requests = 0;
/** Responses per status, for the summary line. */
const statuses = new Map<number, number>();
let fuzzMs = 0;

const MAX = 2_147_483_647;

/** Strings a parser, a validator or a database might choke on. */
const oddString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfffy',
    '\ude00\ud83d',
    '😀',
    '__proto__',
    'constructor',
    '../../etc/passwd',
    '%00',
    "'; drop table tokens; --",
    'null',
    'true',
    '-1',
    '1e309',
    '2147483648',
    'NaN',
    'tok_',
    'rep_x',
    '*',
    '\\',
    '{"a":1}',
    '\r\n',
    '\u202e',
  ),
  fc.integer({ min: 1, max: 6 }).map((n) => 'x'.repeat(10 ** n)),
);

const oddNumber = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    1,
    0.5,
    -0.5,
    MAX,
    MAX + 1,
    -MAX - 2,
    2 ** 53,
    2 ** 53 + 2,
    1e308,
    -1e308,
    5e-324,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** A JSON value of any shape, nested a little. */
const oddJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    oddString,
    oddNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(oddString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

function resolve(document: Schema, schema: unknown): Schema {
  let node = schema as Schema;
  while (typeof node?.$ref === 'string') {
    const path = (node.$ref as string).replace(/^#\//, '').split('/');
    node = path.reduce<unknown>((at, key) => (at as Schema)[key], document) as Schema;
  }
  return node ?? {};
}

/** A value that mostly fits `schema` (so that a request gets past the first check), else something odd. */
function fromSchema(document: Schema, raw: unknown, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(document, raw);
  const odd = depth > 3 ? oddJson : fc.oneof(oddJson, oddString, oddNumber);
  const alternatives = [...((schema.anyOf as unknown[]) ?? []), ...((schema.oneOf as unknown[]) ?? [])];
  let fitting: fc.Arbitrary<unknown>;
  if (alternatives.length > 0) {
    fitting = fc.oneof(...alternatives.map((part) => fromSchema(document, part, depth + 1)));
  } else if (Array.isArray(schema.enum)) {
    fitting = fc.constantFrom(...(schema.enum as unknown[]));
  } else if (schema.const !== undefined) {
    fitting = fc.constant(schema.const);
  } else {
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case 'string': {
        const maxLength = typeof schema.maxLength === 'number' ? Math.min(schema.maxLength, 30) : 30;
        const minLength = typeof schema.minLength === 'number' ? Math.min(schema.minLength, maxLength) : 1;
        let plain: fc.Arbitrary<string> = fc.string({ minLength, maxLength });
        if (typeof schema.pattern === 'string') plain = fc.stringMatching(new RegExp(schema.pattern));
        else if (schema.format === 'email') plain = fc.emailAddress();
        else if (schema.format === 'uri') plain = fc.webUrl();
        else if (schema.format === 'date-time')
          plain = fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
        fitting = fc.oneof(
          { weight: 3, arbitrary: plain },
          // Plausible text with one character PostgreSQL cannot store as it is.
          {
            weight: 2,
            arbitrary: fc
              .tuple(plain, fc.constantFrom('\u0000', '\ud800', '\udfff'), fc.nat(maxLength))
              .map(([text, bad, at]) => text.slice(0, at) + bad + text.slice(at)),
          },
          { weight: 1, arbitrary: oddString },
        );
        break;
      }
      case 'integer':
      case 'number': {
        const min = typeof schema.minimum === 'number' ? schema.minimum : -MAX;
        const max = typeof schema.maximum === 'number' ? schema.maximum : MAX;
        fitting = fc.oneof(
          fc.integer({ min: Math.max(min, -MAX - 1), max: Math.min(max, MAX) }),
          // The schema's own bounds and the column's, each side.
          fc.constantFrom(min - 1, max + 1, min, max, MAX, MAX + 1, -MAX - 2, 2 ** 53 - 1),
        );
        break;
      }
      case 'boolean':
        fitting = fc.boolean();
        break;
      case 'null':
        fitting = fc.constant(null);
        break;
      case 'array':
        fitting = fc.array(fromSchema(document, schema.items ?? {}, depth + 1), { maxLength: 4 });
        break;
      case 'object': {
        const properties = (schema.properties ?? {}) as Record<string, unknown>;
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [name, part] of Object.entries(properties))
          record[name] = fromSchema(document, part, depth + 1);
        fitting = fc.record(record, { requiredKeys: [] });
        break;
      }
      default:
        fitting = oddJson;
    }
  }
  return fc.oneof({ weight: 9, arbitrary: fitting }, { weight: 1, arbitrary: odd });
}

/** A URL path segment: a real id, or anything, percent-encoded as raw UTF-8 bytes (lone surrogates too). */
function encodeSegment(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    if (/^[A-Za-z0-9_.~-]$/.test(char)) out += char;
    else if (code >= 0xd800 && code <= 0xdfff) {
      // What a client that encodes code units naively would send: CESU-style bytes, invalid UTF-8.
      out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
    } else {
      for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).padStart(2, '0')}`;
    }
  }
  return out;
}

const pathValue = () =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...ids) },
    { weight: 1, arbitrary: oddString.map((value) => (value === '' ? ' ' : value)) },
    { weight: 1, arbitrary: fc.constantFrom('%ff', '%c0%80', '%', '%zz', '..', '%2e%2e', '%2F') },
  );

function queryValue(document: Schema, schema: Schema) {
  return fc.oneof(
    fromSchema(document, schema).map((value) => [
      typeof value === 'string' ? value : (JSON.stringify(value) ?? ''),
    ]),
    fc.array(oddString, { minLength: 1, maxLength: 3 }),
  );
}

/** Bodies: mostly the schema's shape, else raw JSON text no serializer would write. */
function bodyOf(document: Schema, schema: Schema | null): fc.Arbitrary<string | undefined> {
  const fitting = schema === null ? oddJson : fromSchema(document, schema);
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  return fc.oneof(
    { weight: 6, arbitrary: fitting.map((value) => JSON.stringify(value)) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '{"__proto__":{"admin":true},"name":"x"}',
        '{"constructor":{"prototype":{"polluted":1}},"name":"x"}',
        '{"name":"x\\udfffy","description":"\\ud800"}',
        '{"name":"a\\u0000b"}',
        `{"name":${nested(1000)}}`,
        `{"name":${nested(100_000)}}`,
        `{"a":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
        '{"name":1e400}',
        '{"name":"x",',
        '[1,2,3]',
        '"just a string"',
        'null',
        '',
        '\u0000',
        '{"name":"x","name":"y"}',
        `{"name":"${'x'.repeat(900_000)}"}`,
      ),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

const CONTENT_TYPES = [
  ...Array.from({ length: 40 }, () => 'application/json'),
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/xml',
  undefined,
] as const;

type Auth = 'full' | 'narrow' | 'none' | 'malformed' | 'twice';
const auth = fc.oneof(
  { weight: 20, arbitrary: fc.constant<Auth>('full') },
  { weight: 1, arbitrary: fc.constantFrom<Auth>('narrow', 'none', 'malformed', 'twice') },
);

function authorizationOf(kind: Auth): string | string[] | undefined {
  switch (kind) {
    case 'full':
      return `Bearer ${fullToken}`;
    case 'narrow':
      return `Bearer ${narrowToken}`;
    case 'none':
      return undefined;
    case 'malformed':
      return 'Bearer tgs_nope';
    case 'twice':
      return [`Bearer ${fullToken}`, `Bearer ${narrowToken}`];
  }
}

beforeAll(async () => {
  h = await createTestHarness();
  app = await buildServer({ services: h.services, webDist: '/nonexistent' });
  org = await h.seedOrganization({ tier: 'enterprise' });
  fullToken = (await h.issueToken({ organizationId: org.id, type: 'service', scopes: [...SCOPE_NAMES] }))
    .token;
  narrowToken = (await h.issueToken({ organizationId: org.id, type: 'service', scopes: ['tokens:read'] }))
    .token;
  const send = (method: Method, url: string, body: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${fullToken}` }, payload: body });
  // Objects whose ids the fuzzer may hit; the fuzzing tokens' own ids are kept out, so they stay usable.
  await send('POST', '/api/v1/billing/credits', { amount: 100_000 });
  const repository = (await send('POST', '/api/v1/repositories', { name: 'fuzz' })).json();
  const review = (
    await send('POST', '/api/v1/reviews/trigger', { repositoryId: repository.id, title: 't' })
  ).json();
  const spare = (await send('POST', '/api/v1/tokens', { name: 'spare', type: 'service', scopes: [] })).json();
  await send('PUT', '/api/v1/wiki/pages/fuzz', { title: 'Fuzz', body: 'b' });
  ids.push(
    repository.id,
    review.id,
    spare.id,
    'fuzz',
    org.users.member.id,
    org.users.viewer.id,
    'rev_unknown',
  );

  const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as Schema;
  operations = [];
  for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Schema>>)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = (operation.parameters ?? []) as { name: string; in: string; schema: Schema }[];
      const content = (operation.requestBody as Schema | undefined)?.content as
        | Record<string, Schema>
        | undefined;
      operations.push({
        method: method.toUpperCase() as Method,
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query'),
        body: (content?.['application/json']?.schema as Schema | undefined) ?? null,
      });
    }
  }
  documentOf.value = document;
});

afterAll(async () => {
  if (requests > 0) {
    const seconds = fuzzMs / 1000;
    console.info(
      `OpenAPI fuzz: ${requests} requests over ${operations.length} operations in ${seconds.toFixed(1)} s (${(requests / seconds).toFixed(0)}/s); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );
  }
  await app?.close();
  await h?.close();
});

const documentOf: { value: Schema } = { value: {} };

/** What a response must be, whatever the request: not a 5xx, no stack trace, the §7 body on errors. */
function checkResponse(response: { statusCode: number; body: string; headers: Record<string, unknown> }) {
  expect(response.statusCode, response.body.slice(0, 500)).toBeLessThan(500);
  expect(response.body).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  if (response.statusCode >= 400) {
    const body = JSON.parse(response.body) as Record<string, unknown>;
    expect(body.success).toBe(false);
    expect(typeof body.code).toBe('string');
    expect(typeof body.error).toBe('string');
    if (body.details !== undefined && body.details !== null) expect(Array.isArray(body.details)).toBe(true);
  }
}

describe('the REST facade under generated requests from its OpenAPI document', () => {
  it('covers every operation of the document', () => {
    expect(operations.length).toBeGreaterThan(40);
  });

  it('never answers 5xx, a stack trace or an error without the §7 body', {
    timeout: LONG_RUN ? 0 : 120_000,
  }, async () => {
    for (const operation of operations) {
      const document = documentOf.value;
      const request = fc.record({
        params: fc.tuple(...operation.pathParams.map(() => pathValue()), fc.constant(null)),
        query: fc.tuple(
          ...operation.query.map((parameter) =>
            fc.option(queryValue(document, parameter.schema), { nil: undefined }),
          ),
          fc.constant(undefined),
        ),
        extraQuery: fc.option(
          fc.constantFrom('__proto__=1', 'constructor=x', 'limit=1e999', 'cursor=%ff', 'q=%00'),
          {
            nil: undefined,
          },
        ),
        body: bodyOf(document, operation.body),
        contentType: fc.constantFrom(...CONTENT_TYPES),
        auth,
      });
      const started = Date.now();
      try {
        await fc.assert(
          fc.asyncProperty(request, async (generated) => {
            let url = operation.path;
            operation.pathParams.forEach((name, i) => {
              const value = generated.params[i] as string;
              url = url.replace(
                `{${name}}`,
                value.startsWith('%') || value === '..' ? value : encodeSegment(value),
              );
            });
            const search: string[] = [];
            operation.query.forEach((parameter, i) => {
              const values = generated.query[i] as string[] | undefined;
              for (const value of values ?? [])
                search.push(`${encodeSegment(parameter.name)}=${encodeSegment(value)}`);
            });
            if (generated.extraQuery) search.push(generated.extraQuery);
            if (search.length > 0) url += `?${search.join('&')}`;
            const authorization = authorizationOf(generated.auth);
            const withBody =
              operation.method !== 'GET' && operation.method !== 'DELETE' && generated.body !== undefined;
            const headers: Record<string, string | string[]> = {};
            if (authorization !== undefined) headers.authorization = authorization;
            if (withBody && generated.contentType !== undefined)
              headers['content-type'] = generated.contentType;
            requests++;
            const response = await app.inject({
              method: operation.method,
              url,
              headers,
              ...(withBody ? { payload: generated.body } : {}),
            });
            statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
            checkResponse(response);
            // Self-rotate retired the fuzzing token's secret: go on with the new one.
            if (operation.path === '/tokens/self/rotate' && response.statusCode === 200) {
              const renewed = (response.json() as { token: string }).token;
              if (generated.auth === 'full') fullToken = renewed;
              else if (generated.auth === 'narrow') narrowToken = renewed;
            }
            // A policy change could lock the fuzzing tokens out (an IP allowlist, tokens_only): put it back.
            if (operation.path === '/organization' && response.statusCode === 200) {
              await h.services.db
                .updateTable('organizations')
                .set({ policy: jsonb(DEFAULT_POLICY) })
                .where('id', '=', org.id)
                .execute();
              h.services.invalidation
                .publish({ kind: 'organization', organizationId: org.id })
                .catch(() => {});
            }
          }),
          {
            numRuns: RUNS,
            ...(SEED === undefined ? {} : { seed: SEED }),
            ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}),
            ...(LONG_RUN ? {} : { interruptAfterTimeLimit: BUDGET_MS / Math.max(1, operations.length) }),
            markInterruptAsFailure: false,
          },
        );
      } catch (error) {
        // fast-check's message carries the seed and path that replay the failure (FUZZ_SEED, FUZZ_PATH).
        throw new Error(`${operation.method} ${operation.path}: ${(error as Error).message}`);
      } finally {
        fuzzMs += Date.now() - started;
      }
    }
  });
});
