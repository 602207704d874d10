import type { Scope } from '@tollgate/domain';
import type { AnyRouter } from '@trpc/server';
import type { z } from 'zod';
import type { ProcedureMeta, RestRoute } from '../trpc/init.ts';
import { type ProcedureInvoker, type ProcedureRuntime, procedureInvoker } from './invoke.ts';
import { compileResponseSerializer, type ResponseSerializer } from './serializer.ts';

/** One REST endpoint: a procedure of the app router and the route its meta declares. */
export interface RestRouteEntry {
  /** The dotted tRPC path of the procedure served here, e.g. `tokens.create`. */
  procedurePath: string;
  procedureType: 'query' | 'mutation';
  method: RestRoute['method'];
  /** The path below /api/v1 in OpenAPI form, e.g. `/tokens/{id}`. */
  path: string;
  /** The same path in Fastify form, e.g. `/tokens/:id`. */
  fastifyPath: string;
  /** Names of the `{param}` placeholders, in order. */
  pathParams: string[];
  /** The scope the procedure requires; null for any valid token. */
  scope: Scope | null;
  summary: string;
  tags: string[];
  successStatus: 200 | 201 | 204;
  /** The procedure's meta says it debits credits (402 INSUFFICIENT_CREDITS is documented). */
  debitsCredits: boolean;
  /** Input parsers of the procedure (zod schemas), empty when it takes no input. */
  inputs: z.ZodType[];
  /** The output parser of the procedure, if it declares one. */
  output: z.ZodType | null;
  /**
   * Runs the procedure — its whole middleware chain and resolver — with a context and a raw input. Its result is
   * for {@link serialize}: when the route has a compiled serialiser the output parser is left out of the chain
   * (the serialiser writes the declared fields only), so the raw result must never be sent as it is.
   */
  invoke: ProcedureInvoker;
  /** The result of {@link invoke} as the JSON body of the response: the declared fields only. */
  serialize: ResponseSerializer;
}

/** The runtime shape of a built procedure as tRPC 11 keeps it in `router._def.procedures`. */
interface ProcedureDefinition {
  type: 'query' | 'mutation' | 'subscription';
  meta?: ProcedureMeta;
  inputs: unknown[];
  output?: unknown;
  middlewares: ProcedureRuntime['_def']['middlewares'];
}

const PARAM = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Methods whose input comes from the JSON body (plus path parameters); the others read the query string. */
export const BODY_METHODS: ReadonlySet<RestRoute['method']> = new Set(['POST', 'PUT', 'PATCH']);

function isZodSchema(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

/** A body without a compiled serialiser: what the output parser (if any) left, as JSON; `null` for nothing. */
function stringifyJson(output: unknown): string {
  return JSON.stringify(output ?? null);
}

/**
 * The REST route table, derived from the procedures' meta: one entry per procedure that declares `rest`.
 * Nothing is listed by hand, so a procedure gets its endpoint (and its OpenAPI operation) by declaring it.
 * Throws at start-up on a route declared twice or a procedure whose meta cannot be served.
 *
 * tRPC 11.25.2 has no public way to list a router's procedures with their parsers (`procedure.meta` is public,
 * the output parser is not), so this reads `router._def.procedures` and each procedure's `_def` (type, meta,
 * inputs, output): with rest/invoke.ts the only reading of tRPC internals in the product, both held by the
 * exact @trpc/server version in pnpm-workspace.yaml's catalog and by their tripwires, route-table.test.ts and
 * invoke.test.ts.
 */
export function buildRouteTable(router: AnyRouter): RestRouteEntry[] {
  const procedures = router._def.procedures as Record<string, { _def: ProcedureDefinition }>;
  const entries: RestRouteEntry[] = [];
  const seen = new Map<string, string>();
  for (const [procedurePath, procedure] of Object.entries(procedures)) {
    const { type, meta, inputs, output } = procedure._def;
    const rest = meta?.rest;
    if (!rest) continue;
    if (type === 'subscription') throw new Error(`${procedurePath}: a subscription cannot be a REST route`);
    if (meta.scope === undefined) throw new Error(`${procedurePath}: a REST route must declare its scope`);
    const key = `${rest.method} ${rest.path}`;
    const clash = seen.get(key);
    if (clash) throw new Error(`${key} is declared by both ${clash} and ${procedurePath}`);
    seen.set(key, procedurePath);
    const outputSchema = isZodSchema(output) ? output : null;
    // The serialiser compiled from the output schema does the output parser's stripping; a schema it cannot
    // write exactly keeps the parser, and JSON.stringify of the parsed result.
    const compiled = outputSchema ? compileResponseSerializer(outputSchema) : null;
    entries.push({
      procedurePath,
      procedureType: type,
      method: rest.method,
      path: rest.path,
      fastifyPath: rest.path.replace(PARAM, ':$1'),
      pathParams: [...rest.path.matchAll(PARAM)].map((match) => match[1] as string),
      scope: meta.scope,
      summary: rest.summary,
      tags: rest.tags,
      successStatus: rest.successStatus ?? 200,
      debitsCredits: meta.debitsCredits === true,
      inputs: inputs.filter(isZodSchema),
      output: outputSchema,
      invoke: procedureInvoker(procedurePath, procedure, { parseOutput: compiled === null }),
      serialize: compiled ?? stringifyJson,
    });
  }
  return entries;
}
