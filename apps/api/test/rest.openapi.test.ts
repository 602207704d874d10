import SwaggerParser from '@apidevtools/swagger-parser';
import { ERRORS } from '@tollgate/domain';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorStatusesOf, type OpenApiDocument } from '../src/rest/openapi.ts';
import { buildRouteTable } from '../src/rest/route-table.ts';
import { appRouter } from '../src/routers/root.ts';
import { buildServer } from '../src/server.ts';
import { createTestHarness, type TestHarness } from './helpers/harness.ts';

type Operation = Record<string, unknown> & {
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { $ref?: string }>;
};

describe('REST facade: OpenAPI document and /docs', () => {
  let h: TestHarness;
  let app: FastifyInstance;
  let document: OpenApiDocument;
  const routes = buildRouteTable(appRouter);
  const operationOf = (method: string, path: string) =>
    document.paths[`/api/v1${path}`]?.[method.toLowerCase()] as Operation | undefined;

  beforeAll(async () => {
    h = await createTestHarness();
    app = await buildServer({ services: h.services });
    const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    document = response.json();
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('is served without authentication and passes a standard OpenAPI validator', async () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: 'Tollgate', version: expect.any(String) });
    // Its paths are full (/api/v1/…): the server is the origin that served it.
    expect(document.servers).toEqual([{ url: '/', description: 'This Tollgate server' }]);
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
  });

  it('lists every route of the table once, plus itself and the two leak-report endpoints', () => {
    const operations = Object.values(document.paths).flatMap((methods) => Object.keys(methods));
    expect(operations).toHaveLength(routes.length + 3);
    expect(operationOf('POST', '/credentials/revoke')).toMatchObject({
      operationId: 'credentials.revoke',
      security: [],
      responses: { '202': expect.anything(), '429': expect.anything() },
    });
    expect(operationOf('POST', '/secret-scanning/github')).toMatchObject({
      security: [],
      parameters: [
        expect.objectContaining({ name: 'Github-Public-Key-Identifier', in: 'header', required: true }),
        expect.objectContaining({ name: 'Github-Public-Key-Signature', in: 'header', required: true }),
      ],
      responses: { '200': expect.anything(), '401': expect.anything() },
    });
    expect(routes.length).toBeGreaterThanOrEqual(15);
  });

  it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: operationId, scope, tags, parameters and responses',
    (_label, route) => {
      const operation = operationOf(route.method, route.path);
      expect(operation).toBeDefined();
      if (!operation) return;
      expect(operation).toMatchObject({
        operationId: route.procedurePath,
        summary: route.summary,
        tags: route.tags,
        'x-required-scope': route.scope,
        security: [{ bearerAuth: route.scope === null ? [] : [route.scope] }],
      });
      for (const name of route.pathParams) {
        expect(operation.parameters).toContainEqual(
          expect.objectContaining({ name, in: 'path', required: true }),
        );
      }
      expect(operation.responses).toHaveProperty(String(route.successStatus));
      for (const status of [401, 403, 404, 429, 500]) {
        expect(operation.responses[String(status)]).toEqual({
          $ref: `#/components/responses/Error${status}`,
        });
      }
    },
  );

  it('describes the bearer scheme and every §7 code in the error responses', () => {
    expect(document.components.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    const responses = document.components.responses as Record<string, { description: string }>;
    for (const [code, { status }] of Object.entries(ERRORS)) {
      expect(responses[`Error${status}`]?.description).toContain(code);
    }
  });

  it.each<[label: string, route: Parameters<typeof errorStatusesOf>[0], statuses: number[]]>([
    ['a read', { method: 'GET', debitsCredits: false }, [400, 401, 403, 404, 429, 500, 503]],
    [
      'a delete',
      { method: 'DELETE', debitsCredits: false },
      [400, 401, 403, 404, 409, 413, 415, 429, 500, 503],
    ],
    [
      'a create',
      { method: 'POST', debitsCredits: false },
      [400, 401, 403, 404, 409, 413, 415, 429, 500, 503],
    ],
    [
      'a review trigger (debits credits)',
      { method: 'POST', debitsCredits: true },
      [400, 401, 402, 403, 404, 409, 413, 415, 429, 500, 503],
    ],
  ])('lists the error statuses %s can answer with', (_label, route, statuses) => {
    expect(errorStatusesOf(route)).toEqual(statuses);
  });

  it('reads which procedures debit credits from their meta: reviews.trigger only', () => {
    expect(routes.filter((route) => route.debitsCredits).map((route) => route.procedurePath)).toEqual([
      'reviews.trigger',
    ]);
    expect(operationOf('POST', '/reviews/trigger')?.responses['402']).toBeDefined();
    expect(operationOf('POST', '/tokens')?.responses['402']).toBeUndefined();
  });

  it('derives query parameters, bodies and response schemas from the zod schemas', () => {
    const list = operationOf('GET', '/tokens');
    expect(list?.parameters).toContainEqual(
      expect.objectContaining({
        name: 'limit',
        in: 'query',
        required: false,
        schema: expect.objectContaining({ type: 'integer', maximum: 100 }),
      }),
    );
    expect(list?.parameters).toContainEqual(
      expect.objectContaining({
        name: 'status',
        in: 'query',
        schema: expect.objectContaining({ enum: ['active', 'inactive', 'expired', 'revoked'] }),
      }),
    );

    const create = operationOf('POST', '/tokens');
    expect(create?.requestBody?.required).toBe(true);
    const body = create?.requestBody?.content['application/json']?.schema as {
      required: string[];
      properties: object;
    };
    expect(body.required).toEqual(['name']);
    expect(Object.keys(body.properties)).toEqual(
      expect.arrayContaining(['name', 'scopes', 'expiresInDays', 'ipAllowlist']),
    );
    expect(create?.responses).toHaveProperty('201');
    expect(create?.responses).toHaveProperty('413');
    expect(create?.responses).toHaveProperty('415');

    // A path parameter is not repeated in the body.
    const rotate = operationOf('POST', '/tokens/{id}/rotate');
    const rotateBody = rotate?.requestBody?.content['application/json']?.schema as { properties: object };
    expect(Object.keys(rotateBody.properties)).toEqual(['gracePeriodSeconds']);
    expect(rotate?.requestBody?.required).toBe(false);

    const remove = operationOf('DELETE', '/tokens/{id}');
    expect(remove?.responses['204']).not.toHaveProperty('content');
  });

  it('renders /docs locally: every route with its method, path and scope, and nothing loaded from elsewhere', async () => {
    const response = await app.inject({ method: 'GET', url: '/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const html = response.body;
    for (const route of routes) {
      expect(html).toContain(`<code>/api/v1${route.path}</code>`);
      if (route.scope) expect(html).toContain(route.scope);
    }
    for (const tag of new Set(routes.flatMap((route) => route.tags)))
      expect(html).toContain(`<h2>${tag}</h2>`);
    // A way back to the web app.
    expect(html).toContain('<a href="/settings/tokens">← Back to the web app</a>');
    // No script, stylesheet, image or font from anywhere: the page renders offline.
    expect(html).not.toMatch(/<script|<link|<img|src=|href="https?:|url\(|@import/);
  });

  it("/docs lists each operation's own responses (its OpenAPI statuses, its codes) and its success fields", async () => {
    const html = (await app.inject({ method: 'GET', url: '/docs' })).body;
    const articleOf = (operationId: string) => {
      const start = html.indexOf(
        `<article class="op" id="${operationId.toLowerCase().replace(/[^a-z0-9]+/g, '-')}">`,
      );
      expect(start, operationId).toBeGreaterThan(-1);
      return html.slice(start, html.indexOf('</article>', start));
    };
    const responsesOf = (article: string) => article.slice(article.indexOf('<h4>Responses</h4>'));
    const codesOf = (article: string, status: number) => {
      const item = responsesOf(article).match(new RegExp(`<li><code>${status}</code>(.*?)</li>`))?.[1] ?? '';
      return [...item.matchAll(/<a href="#([A-Z_]+)">/g)].map((match) => match[1]);
    };
    // Every operation: exactly the statuses its OpenAPI operation lists, in that order.
    for (const operations of Object.values(document.paths)) {
      for (const operation of Object.values(operations) as Operation[]) {
        const article = articleOf(operation.operationId as string);
        const shown = [...responsesOf(article).matchAll(/<li><code>(\d{3})<\/code>/g)].map(
          (match) => match[1],
        );
        expect(shown, operation.operationId as string).toEqual(Object.keys(operation.responses));
      }
    }
    const list = articleOf('tokens.list');
    const create = articleOf('tokens.create');
    const self = articleOf('tokens.self');
    // A GET never conflicts; a create can.
    expect(codesOf(list, 409)).toEqual([]);
    expect(codesOf(create, 409)).toContain('CONFLICT');
    // Only an operation that needs a scope can lack it; an anonymous one never refuses a token.
    expect(codesOf(list, 403)).toContain('INSUFFICIENT_SCOPE');
    expect(codesOf(self, 403)).not.toContain('INSUFFICIENT_SCOPE');
    expect(codesOf(self, 403)).toContain('IP_NOT_ALLOWED');
    const leak = articleOf('credentials.revoke');
    expect(codesOf(leak, 401)).toEqual([]);
    expect(codesOf(leak, 403)).not.toContain('IP_NOT_ALLOWED');
    // Each code links to its entry in the error reference on the same page.
    for (const code of codesOf(create, 400)) expect(html).toContain(`<article class="op" id="${code}">`);
    // The success response's fields, one level into the items of a list.
    expect(list).toContain('<h4>Response <code>200</code></h4>');
    for (const field of ['data', 'data[].id', 'data[].prefix', 'data[].lastUsedAt', 'nextCursor', 'total'])
      expect(list).toContain(`<td><code>${field}</code> <span class="req">required</span></td>`);
    expect(create).toContain('<h4>Response <code>201</code></h4>');
    expect(create).toContain('<td><code>token</code> <span class="req">required</span></td>');
    expect(articleOf('tokens.delete')).not.toContain('<h4>Response <code>204</code></h4>');
  });
});
