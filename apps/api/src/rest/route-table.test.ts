import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appRouter } from '../routers/root.ts';
import { type Context, createContextInner } from '../trpc/context.ts';
import { router } from '../trpc/init.ts';
import { protectedProcedure, publicProcedure } from '../trpc/procedures.ts';
import { objectShape, toJsonSchema } from './json-schema.ts';
import { coerceParameter } from './request.ts';
import { buildRouteTable } from './route-table.ts';

const tags = ['Test'];

describe('buildRouteTable', () => {
  it('has one entry per procedure of the app router that declares a REST route, and no other', () => {
    const procedures = appRouter._def.procedures as unknown as Record<
      string,
      { _def: { meta?: { rest?: unknown } } }
    >;
    const declared = Object.entries(procedures)
      .filter(([, procedure]) => procedure._def.meta?.rest)
      .map(([path]) => path);
    expect(
      buildRouteTable(appRouter)
        .map((route) => route.procedurePath)
        .sort(),
    ).toEqual(declared.sort());
    expect(declared).toContain('tokens.create');
    expect(declared).not.toContain('auth.login');
  });

  it('converts {param} to :param and reads type, scope and status from the procedure', () => {
    const table = buildRouteTable(
      router({
        items: router({
          get: protectedProcedure
            .meta({
              scope: 'wiki:read',
              rest: { method: 'GET', path: '/items/{itemId}/parts/{part}', summary: 's', tags },
            })
            .input(z.object({ itemId: z.string(), part: z.string() }))
            .query(() => 1),
          create: protectedProcedure
            .meta({
              scope: 'wiki:write',
              rest: { method: 'POST', path: '/items', summary: 's', tags, successStatus: 201 },
            })
            .mutation(() => 1),
          internal: publicProcedure.query(() => 1),
        }),
      }),
    );
    expect(
      table.map(({ procedurePath, procedureType, fastifyPath, pathParams, scope, successStatus }) => ({
        procedurePath,
        procedureType,
        fastifyPath,
        pathParams,
        scope,
        successStatus,
      })),
    ).toEqual([
      {
        procedurePath: 'items.get',
        procedureType: 'query',
        fastifyPath: '/items/:itemId/parts/:part',
        pathParams: ['itemId', 'part'],
        scope: 'wiki:read',
        successStatus: 200,
      },
      {
        procedurePath: 'items.create',
        procedureType: 'mutation',
        fastifyPath: '/items',
        pathParams: [],
        scope: 'wiki:write',
        successStatus: 201,
      },
    ]);
  });

  it("reads each procedure's own input and output parsers from tRPC's internals (the version pin's tripwire)", async () => {
    const input = z.object({ id: z.string() });
    const output = z.object({ id: z.string(), seen: z.literal(true) });
    const [route, bare] = buildRouteTable(
      router({
        get: publicProcedure
          .meta({ scope: null, rest: { method: 'GET', path: '/things/{id}', summary: 's', tags } })
          .input(input)
          .output(output)
          .query(({ input }) => ({ id: input.id, seen: true as const, dropped: 'not in the output' })),
        list: publicProcedure
          .meta({ scope: null, rest: { method: 'GET', path: '/things', summary: 's', tags } })
          .query(() => []),
      }),
    );
    expect(route?.inputs).toEqual([input]);
    expect(route?.inputs[0]).toBe(input);
    expect(route?.output).toBe(output);
    expect(bare).toMatchObject({ procedurePath: 'list', inputs: [], output: null });
    const services = { log: { error() {} } } as unknown as Context['services'];
    // The body as the facade writes it: the route's serialiser, compiled from that output schema, drops the rest.
    const result = await route?.invoke(createContextInner({ services }), { id: 'x' });
    expect(JSON.parse(route?.serialize(result) ?? 'null')).toEqual({ id: 'x', seen: true });
  });

  it('refuses a route declared by two procedures, and a route without a scope', () => {
    const route = { method: 'GET', path: '/same', summary: 's', tags } as const;
    expect(() =>
      buildRouteTable(
        router({
          a: protectedProcedure.meta({ scope: 'wiki:read', rest: route }).query(() => 1),
          b: protectedProcedure.meta({ scope: 'wiki:read', rest: route }).query(() => 1),
        }),
      ),
    ).toThrow(/GET \/same is declared by both a and b/);
    expect(() =>
      buildRouteTable(router({ c: publicProcedure.meta({ rest: route }).query(() => 1) })),
    ).toThrow(/must declare its scope/);
  });
});

describe('coerceParameter', () => {
  const shape = objectShape(
    toJsonSchema(
      z.object({
        limit: z.number().int(),
        ratio: z.number().nullable(),
        flag: z.boolean(),
        scopes: z.array(z.string()),
        counts: z.array(z.number()),
        name: z.string(),
        code: z.union([z.string(), z.number()]),
      }),
      'input',
    ),
  );
  it.each<[name: string, raw: string | string[], expected: unknown]>([
    ['limit', '20', 20],
    ['limit', 'lots', 'lots'],
    ['limit', ['1', '2'], ['1', '2']],
    ['ratio', '0.5', 0.5],
    ['ratio', 'null', null],
    ['flag', 'true', true],
    ['flag', 'false', false],
    ['flag', 'yes', 'yes'],
    ['scopes', 'wiki:read', ['wiki:read']],
    ['scopes', ['wiki:read', 'tokens:read'], ['wiki:read', 'tokens:read']],
    ['counts', ['1', '2'], [1, 2]],
    ['name', '42', '42'],
    ['code', '42', '42'],
    ['unknown', '42', '42'],
  ])('%s=%j → %j', (name, raw, expected) => {
    expect(coerceParameter(raw, shape.properties[name])).toEqual(expected);
  });
});
