import {
  ERROR_CODES,
  ERRORS,
  type ErrorCode,
  problemDocument,
  TollgateError,
  ZGithubSecretScanningReport,
  ZRevokeCredentialsInput,
  ZRevokeCredentialsOutput,
} from '@tollgate/domain';
import { z } from 'zod';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../errors.ts';
import { inputJsonSchema, type JsonSchema, objectShape, toJsonSchema } from './json-schema.ts';
import { BODY_METHODS, type RestRouteEntry } from './route-table.ts';

/** Where the facade is mounted; the document lists full paths (`/api/v1/tokens`), under the server `/`. */
export const REST_PREFIX = '/api/v1';
export const OPENAPI_DOCUMENT_PATH = '/openapi.json';
export const OPENAPI_VERSION = '3.1.0';
/** The version of the REST contract the document describes (info.version). */
export const REST_API_VERSION = '1.0.0';

/**
 * The §7 error body, an RFC 9457 problem document (`application/problem+json`): `success`, `error`, `code`
 * and `details` as they always were, plus the problem fields. The document's `Error` schema is generated from it.
 */
export const ZErrorBodySchema = z
  .object({
    success: z.literal(false),
    error: z.string().describe('A sentence for a person; never a stack trace or an internal message'),
    code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]).describe('The machine-readable code (§7)'),
    details: z
      .array(
        z.object({
          path: z.string().describe('Dotted path of the offending field; empty for the request as a whole'),
          message: z.string(),
        }),
      )
      .optional()
      .describe('One entry per problem, for VALIDATION_FAILED'),
    type: z.string().describe('`/docs/errors#<CODE>`: the docs page explaining the code (RFC 9457)'),
    title: z.string().describe('A short summary of the code, the same for every occurrence'),
    status: z.number().int().describe('The HTTP status, as in the response'),
    detail: z.string().describe('The same sentence as `error`'),
    instance: z.string().optional().describe('The path of the request, without its query'),
    requestId: z.string().describe('The `Request-Id` of the response, as in the server’s log and audit log'),
  })
  .strict();

/** The media type of every error response. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  402: 'Payment required',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Unavailable',
};

/** The §7 codes answered with each status, from the domain's error table (the one source of truth). */
export function codesByStatus(): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of ERROR_CODES) {
    const status = ERRORS[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}

/** The error statuses an operation can answer with, each with the §7 codes of that status. */
export function errorStatusesOf(route: Pick<RestRouteEntry, 'method' | 'debitsCredits'>): number[] {
  const statuses = [400, 401, 403, 404, 429, 500, 503];
  if (route.debitsCredits) statuses.push(402);
  if (route.method !== 'GET') statuses.push(409);
  if (BODY_METHODS.has(route.method) || route.method === 'DELETE') statuses.push(413, 415);
  return statuses.sort((a, b) => a - b);
}

const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': { $ref: '#/components/headers/X-RateLimit-Limit' },
  'X-RateLimit-Remaining': { $ref: '#/components/headers/X-RateLimit-Remaining' },
  'X-RateLimit-Reset': { $ref: '#/components/headers/X-RateLimit-Reset' },
  'RateLimit-Policy': { $ref: '#/components/headers/RateLimit-Policy' },
  RateLimit: { $ref: '#/components/headers/RateLimit' },
};

function problemExample(error: TollgateError) {
  return problemDocument(error, { instance: '/api/v1/tokens', requestId: 'req_0RtRmJ5x4mK2pL9sV1cN8r' });
}

function errorResponseComponents(): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, codes] of codesByStatus()) {
    const examples: Record<string, unknown> = {};
    for (const code of codes) {
      examples[code] = { value: problemExample(new TollgateError(code)) };
    }
    if (status === 400) {
      examples.VALIDATION_FAILED = {
        value: problemExample(
          new TollgateError('VALIDATION_FAILED', undefined, [{ path: 'name', message: 'Name is required' }]),
        ),
      };
    }
    responses[`Error${status}`] = {
      description: `${STATUS_NAMES[status] ?? 'Error'}: ${codes.join(', ')}`,
      headers: {
        ...(status === 429
          ? {
              'Retry-After': {
                description: 'Seconds to wait before trying again',
                schema: { type: 'integer', minimum: 0 },
              },
              ...RATE_LIMIT_HEADERS,
            }
          : {}),
        ...(status === 503
          ? {
              'Retry-After': {
                description: `Seconds to wait before trying again (${UNAVAILABLE_RETRY_AFTER_SECONDS})`,
                schema: { type: 'integer', minimum: 0 },
              },
            }
          : {}),
        'Request-Id': { $ref: '#/components/headers/Request-Id' },
      },
      content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/Error' }, examples } },
    };
  }
  return responses;
}

function parameterOf(
  name: string,
  location: 'path' | 'query',
  schema: JsonSchema | undefined,
  required: boolean,
) {
  const { description, ...rest } = schema ?? { type: 'string' };
  return {
    name,
    in: location,
    required: location === 'path' ? true : required,
    ...(typeof description === 'string' ? { description } : {}),
    schema: rest,
  };
}

function withoutProperties(schema: JsonSchema, names: readonly string[]): JsonSchema {
  if (names.length === 0) return schema;
  const strip = (part: JsonSchema): JsonSchema => {
    const properties = { ...(part.properties ?? {}) };
    for (const name of names) delete properties[name];
    const required = (part.required ?? []).filter((name) => !names.includes(name));
    const result: JsonSchema = { ...part, properties };
    if (required.length > 0) result.required = required;
    else delete result.required;
    return result;
  };
  const stripped = strip(schema);
  if (schema.allOf) stripped.allOf = schema.allOf.map(strip);
  return stripped;
}

function operationOf(route: RestRouteEntry): Record<string, unknown> {
  const input = inputJsonSchema(route.inputs);
  const shape = objectShape(input);
  const parameters: unknown[] = route.pathParams.map((name) =>
    parameterOf(name, 'path', shape.properties[name], true),
  );
  let requestBody: unknown;
  if (input && BODY_METHODS.has(route.method)) {
    const body = withoutProperties(input, route.pathParams);
    const bodyShape = objectShape(body);
    if (Object.keys(bodyShape.properties).length > 0 || body.type !== 'object') {
      requestBody = {
        required: bodyShape.required.size > 0,
        content: { 'application/json': { schema: body } },
      };
    }
  } else if (input) {
    for (const [name, schema] of Object.entries(shape.properties)) {
      if (route.pathParams.includes(name)) continue;
      parameters.push(parameterOf(name, 'query', schema, shape.required.has(name)));
    }
  }

  const success =
    route.successStatus === 204
      ? { description: 'Done; no content', headers: RATE_LIMIT_HEADERS }
      : {
          description: route.successStatus === 201 ? 'Created' : 'OK',
          headers: RATE_LIMIT_HEADERS,
          content: {
            'application/json': { schema: route.output ? toJsonSchema(route.output, 'output') : {} },
          },
        };
  const responses: Record<string, unknown> = { [String(route.successStatus)]: success };
  for (const status of errorStatusesOf(route)) {
    responses[String(status)] = { $ref: `#/components/responses/Error${status}` };
  }

  const scopeText =
    route.scope === null
      ? 'Requires any valid token (no particular scope).'
      : `Requires the \`${route.scope}\` scope.`;
  return {
    operationId: route.procedurePath,
    summary: route.summary,
    description: `${scopeText} Served by the tRPC procedure \`${route.procedurePath}\`.`,
    tags: route.tags,
    security: [{ bearerAuth: route.scope === null ? [] : [route.scope] }],
    'x-required-scope': route.scope,
    'x-trpc-procedure': route.procedurePath,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

const LEAKED_TOKENS_TAG = 'Leaked tokens';

/** The §7 error responses of an operation, by status. */
function errorRefs(statuses: readonly number[]): Record<string, unknown> {
  return Object.fromEntries(
    statuses.map((status) => [String(status), { $ref: `#/components/responses/Error${status}` }]),
  );
}

/**
 * The leak-report endpoints of §13, which are not procedures' routes (no Bearer token: anyone may report a
 * leak, and GitHub signs its reports instead); served by rest/leaks.ts.
 */
function leakReportOperations(): OpenApiDocument['paths'] {
  const json = (schema: z.ZodType, io: 'input' | 'output') => ({
    'application/json': { schema: toJsonSchema(schema, io) },
  });
  return {
    [`${REST_PREFIX}/credentials/revoke`]: {
      post: {
        operationId: 'credentials.revoke',
        summary: 'Report leaked tokens: each live one is revoked as exposed within about a second',
        description:
          'No authentication. GitHub’s credential-revocation shape: 1–1,000 strings. The answer is the same whatever they are (it never says whether a token exists); 60 reports an hour per client address. Served by the tRPC procedure `credentials.revoke`.',
        tags: [LEAKED_TOKENS_TAG],
        security: [],
        'x-required-scope': null,
        'x-trpc-procedure': 'credentials.revoke',
        requestBody: { required: true, content: json(ZRevokeCredentialsInput, 'input') },
        responses: {
          '202': { description: 'Received', content: json(ZRevokeCredentialsOutput, 'output') },
          ...errorRefs([400, 413, 415, 429, 500, 503]),
        },
      },
    },
    [`${REST_PREFIX}/secret-scanning/github`]: {
      post: {
        operationId: 'secretScanning.github',
        summary: 'GitHub’s secret-scanning partner endpoint (when GITHUB_SECRET_SCANNING_KEYS is set)',
        description:
          'Signed by GitHub instead of a token: an ECDSA P-256 SHA-256 signature of the raw body by one of GitHub’s published secret-scanning keys. Live tokens among the matches are revoked as exposed; the answer labels each match.',
        tags: [LEAKED_TOKENS_TAG],
        security: [],
        'x-required-scope': null,
        parameters: [
          {
            name: 'Github-Public-Key-Identifier',
            in: 'header',
            required: true,
            schema: { type: 'string' },
            description: 'The id of the key that signed the report',
          },
          {
            name: 'Github-Public-Key-Signature',
            in: 'header',
            required: true,
            schema: { type: 'string' },
            description: 'Base64 DER ECDSA signature of the raw body',
          },
        ],
        requestBody: { required: true, content: json(ZGithubSecretScanningReport, 'input') },
        responses: {
          '200': {
            description: 'One label per match',
            content: {
              'application/json': {
                schema: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      token_hash: { type: 'string', description: 'Lowercase hex SHA-256 of the token' },
                      token_type: { type: 'string' },
                      label: { type: 'string', enum: ['true_positive', 'false_positive'] },
                    },
                    required: ['token_hash', 'token_type', 'label'],
                  },
                },
              },
            },
          },
          ...errorRefs([400, 401, 404, 413, 415, 500, 503]),
        },
      },
    },
  };
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  servers: { url: string; description: string }[];
  tags: { name: string }[];
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: Record<string, unknown>;
}

/**
 * The OpenAPI 3.1 document of the REST facade, generated from the route table and the procedures' zod schemas:
 * every route with its operationId (the tRPC path), scope (as a bearer security requirement and as
 * `x-required-scope`), parameters, request body, success response and the §7 error responses it can give.
 */
export function buildOpenApiDocument(routes: readonly RestRouteEntry[]): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const tags: string[] = [];
  for (const route of routes) {
    const path = `${REST_PREFIX}${route.path}`;
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operationOf(route);
    for (const tag of route.tags) if (!tags.includes(tag)) tags.push(tag);
  }
  Object.assign(paths, leakReportOperations());
  tags.push(LEAKED_TOKENS_TAG);
  paths[`${REST_PREFIX}${OPENAPI_DOCUMENT_PATH}`] = {
    get: {
      operationId: 'openapi',
      summary: 'This OpenAPI document',
      tags: ['Meta'],
      security: [],
      'x-required-scope': null,
      responses: {
        '200': {
          description: 'The OpenAPI 3.1 document',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
      },
    },
  };
  tags.push('Meta');

  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: 'Tollgate',
      version: REST_API_VERSION,
      description: [
        'The Tollgate REST API. Send `Authorization: Bearer <token>`; JSON in and out, camelCase fields, ids as',
        'strings, times in ISO 8601 UTC. Every error has the body `{"success": false, "error": "…", "code": "…"}`',
        '(plus `details` for validation errors), which is also an RFC 9457 problem document',
        '(`application/problem+json`: `type`, `title`, `status`, `detail`, `instance`, `requestId`).',
        'Every response carries `Request-Id`. Lists return `{"data": [...], "nextCursor": "…" | null}` and take',
        '`limit` (1–100, default 20) and `cursor`. Authenticated responses carry the rate-limit headers.',
      ].join(' '),
    },
    // The server that serves this document: its paths are full (`/api/v1/…`), so the origin itself.
    servers: [{ url: '/', description: 'This Tollgate server' }],
    tags: tags.map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API token (`tgp_…` personal, `tgs_…` service). The scopes listed on an operation are those the token needs.',
        },
      },
      schemas: { Error: toJsonSchema(ZErrorBodySchema, 'output') },
      responses: errorResponseComponents(),
      headers: {
        'Request-Id': {
          description:
            'Names the request (`req_…`, or a trusted proxy’s id); the same id is in the server’s log line and audit log',
          schema: { type: 'string' },
        },
        'X-RateLimit-Limit': {
          description: 'Requests allowed in the window closest to exhaustion',
          schema: { type: 'integer' },
        },
        'X-RateLimit-Remaining': {
          description: 'Requests left in that window',
          schema: { type: 'integer' },
        },
        'X-RateLimit-Reset': {
          description: 'When that window resets, in Unix seconds',
          schema: { type: 'integer' },
        },
        'RateLimit-Policy': {
          description:
            'Every policy that applied (both windows of the organisation, and the token’s own limit when it has one), IETF draft syntax, e.g. `"minute";q=60;w=60, "hour";q=1000;w=3600, "token-minute";q=10;w=60`',
          schema: { type: 'string' },
        },
        RateLimit: {
          description:
            'What is left of each policy of RateLimit-Policy, in its order, IETF draft syntax, e.g. `"minute";r=45;t=30, "hour";r=877;t=2301`',
          schema: { type: 'string' },
        },
      },
    },
  };
}
