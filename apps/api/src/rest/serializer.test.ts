import { ZSelfTokenResponseSchema } from '@tollgate/domain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appRouter } from '../routers/root.ts';
import { buildRouteTable } from './route-table.ts';
import { compileResponseSerializer } from './serializer.ts';

/** What /trpc does with a result (the output parser) and what JSON.stringify then writes. */
const parsedJson = (schema: z.ZodType, value: unknown) => JSON.stringify(schema.parse(value));

const selfToken = {
  id: 'tok_0Vcki8BeUU1SEsFojW2ZYV',
  type: 'service',
  name: 'ci "deploy" \u2028 token',
  description: null,
  environment: 'production',
  scopes: ['organization:read', 'wiki:read'],
  ipAllowlist: ['10.0.0.0/8'],
  prefix: 'tgs_o0gR5IuO',
  status: 'active',
  active: true,
  expiresAt: '2027-01-01T00:00:00.000Z',
  revokedAt: null,
  revokedReason: null,
  lastUsedAt: '2026-12-03T15:17:02.376Z',
  lastUsedIp: '127.0.0.1',
  lastUsedIps: [
    // Undeclared fields inside nested objects too.
    { ip: '127.0.0.1', lastUsedAt: '2026-12-03T15:17:02.376Z', userAgent: 'curl/7.88.1', internal: 1 },
  ],
  subjectUserId: null,
  createdByUserId: 'usr_0Vcki8BeUU1SEsFojW2ZYV',
  createdAt: '2026-12-03T15:09:49.190Z',
  updatedAt: '2026-12-03T15:09:49.190Z',
  effectiveScopes: ['organization:read'],
  rateLimits: { perMinute: 60, perHour: 1000 },
  rateLimit: {
    minute: { limit: 60, remaining: 59, reset: 1796311083 },
    hour: { limit: 1000, remaining: 999, reset: 1796314623 },
  },
  // What a cached record carries beside the token object: never written.
  hash: 'a'.repeat(64),
  secret: 'tgs_should_never_leave',
};

describe('compileResponseSerializer', () => {
  it("writes tokens.self's body exactly as the output parser + JSON.stringify do, undeclared fields dropped", () => {
    const serialize = compileResponseSerializer(ZSelfTokenResponseSchema);
    expect(serialize).not.toBeNull();
    const body = serialize?.(selfToken) ?? '';
    expect(body).toBe(parsedJson(ZSelfTokenResponseSchema, selfToken));
    expect(body).not.toContain('should_never_leave');
    expect(body).not.toContain('internal');
  });

  const nullableText = z.object({ note: z.string().nullable(), count: z.number().int() });
  it.each([
    ['a nullable string, set', nullableText, { note: 'x', count: 1 }],
    ['a nullable string, null', nullableText, { note: null, count: 2 }],
    ['an optional field left out', z.object({ a: z.string().optional(), b: z.boolean() }), { b: false }],
    ['a record', z.object({ counts: z.record(z.string(), z.number()) }), { counts: { a: 1, 'b c': 2 } }],
    [
      'an array of objects',
      z.object({ items: z.array(z.object({ id: z.string() })) }),
      { items: [{ id: 'x', y: 1 }] },
    ],
    ['escapes in strings', z.object({ s: z.string() }), { s: '"\\\n\u0000\ud83d\ude00</script>' }],
  ])('writes %s exactly as zod + JSON.stringify do', (_name, schema, value) => {
    const serialize = compileResponseSerializer(schema);
    expect(serialize).not.toBeNull();
    expect(serialize?.(value)).toBe(parsedJson(schema, value));
  });

  it.each([
    [
      'a union (choosing a branch needs validation)',
      z.object({ v: z.union([z.string(), z.object({ a: z.string() })]) }),
    ],
    ['a transform', z.object({ v: z.string().transform((s) => s.length) })],
    ['a default (zod fills in a missing value)', z.object({ v: z.string().default('x') })],
    ['a nullable object', z.object({ v: z.object({ a: z.string() }).nullable() })],
    ['a date object', z.object({ v: z.date() })],
  ])('leaves a schema with %s to the output parser', (_name, schema) => {
    expect(compileResponseSerializer(schema)).toBeNull();
  });
});

describe('the route table', () => {
  const routes = buildRouteTable(appRouter);

  it('gives /tokens/self a compiled serialiser, so its chain has no output parser', () => {
    const self = routes.find((route) => route.procedurePath === 'tokens.self');
    expect(self?.output).not.toBeNull();
    expect(self && compileResponseSerializer(self.output as z.ZodType)).not.toBeNull();
    expect(self?.serialize(selfToken)).toBe(parsedJson(ZSelfTokenResponseSchema, selfToken));
  });

  it('compiles a serialiser for most routes (the others keep the output parser)', () => {
    const compiled = routes.filter((route) => route.output && compileResponseSerializer(route.output));
    expect(compiled.length / routes.length).toBeGreaterThan(0.5);
  });
});
