import { isTollgateError } from '@tollgate/domain';
import { getTRPCErrorFromUnknown, TRPCError } from '@trpc/server';
import type { Context } from '../trpc/context.ts';
import type { ProcedureMeta } from '../trpc/init.ts';

/** A middleware's result, as tRPC 11 passes it back up the chain. */
interface MiddlewareResult {
  ok: boolean;
  data?: unknown;
  error?: unknown;
  marker: string;
}

/** What tRPC 11 hands each middleware of a procedure (its `_def.middlewares`). */
interface MiddlewareOptions {
  ctx: object;
  type: 'query' | 'mutation';
  path: string;
  input: unknown;
  getRawInput: () => Promise<unknown>;
  meta: ProcedureMeta | undefined;
  signal: AbortSignal | undefined;
  next: (options?: {
    ctx?: object;
    input?: unknown;
    getRawInput?: () => Promise<unknown>;
  }) => Promise<MiddlewareResult>;
}

type Middleware = ((options: MiddlewareOptions) => Promise<MiddlewareResult>) & {
  /** Set by tRPC on its own middlewares: `input`, `output` and `errors` (its error formatter). */
  _type?: string;
};

/** The runtime definition of a built procedure, as tRPC 11 keeps it in `router._def.procedures`. */
export interface ProcedureRuntime {
  _def: {
    type: 'query' | 'mutation' | 'subscription';
    meta?: ProcedureMeta;
    middlewares: Middleware[];
    /** The output parser given to `.output()`, if any. */
    output?: unknown;
  };
}

/**
 * Calls one procedure with a context and a raw input; resolves to its output. Through the REST facade
 * (`surface: 'rest'`) it rejects with the very TollgateError the procedure failed with (or UNAVAILABLE for an
 * unreachable database), never wrapped in a TRPCError; with a TRPCError only for what tRPC's own steps refuse
 * (invalid input) and for internal failures, which the chain has logged already.
 */
export type ProcedureInvoker = (ctx: Context, rawInput: unknown) => Promise<unknown>;

/**
 * Runs a procedure as a tRPC caller does — its own middlewares in order (the authentication chain, input
 * parsing, output validation, the resolver), each `next()` merging the context the middleware adds — without
 * building a caller proxy per request. This is tRPC 11's `callRecursive` with `Object.assign` merges (the
 * library's compiled spread helper defines every property one by one), leaving out tRPC's error formatter,
 * which only shapes errors for tRPC's own wire format and which REST never reads, and leaving a TollgateError
 * as it is where tRPC wraps whatever a middleware throws in a TRPCError: the chain's error mapping (trpc/init.ts
 * mapThrown) passes it up unchanged for REST, and the facade answers it without a TRPCError round trip.
 * invoke.test.ts holds it to a caller's results; the REST matrix runs every route through it.
 *
 * Why not tRPC's public server-side caller (createCallerFactory, issue 13 item 4): measured in process on a
 * chain like tokens.self's (three context-adding middlewares, input and output parsers), a call through a
 * caller made per request took 63–86 µs against 5–6 µs here (medians of 7 × 50,000 calls, two runs, load
 * average 9–15 on 2 cores), and calling the built procedure directly or reusing one caller is no faster: the
 * cost is tRPC's own chain (its spread helper on every middleware), not the proxy. That is a third or more
 * of a whole REST request at the issue 17 target, so this stays, and because it reads tRPC 11 internals
 * (`_def.middlewares`, `_type`, the middleware result's `marker`) @trpc/server is pinned to an exact
 * version in pnpm-workspace.yaml's catalog: an upgrade is a deliberate change, and invoke.test.ts is its
 * tripwire (it compares this invoker with a caller, outcome for outcome).
 */
export function procedureInvoker(
  path: string,
  procedure: ProcedureRuntime,
  options: {
    /**
     * Run the output parser (default). False when the caller writes the result with a serialiser compiled from
     * the same output schema, which drops undeclared fields itself (rest/serializer.ts).
     */
    parseOutput?: boolean;
  } = {},
): ProcedureInvoker {
  const { meta, type } = procedure._def;
  if (type === 'subscription') throw new Error(`${path}: a subscription cannot be invoked`);
  const parseOutput = options.parseOutput ?? true;
  const middlewares = procedure._def.middlewares.flatMap((middleware): Middleware[] => {
    // tRPC's error formatter only shapes errors for tRPC's own wire format, which REST never reads.
    if (middleware._type === 'errors') return [];
    if (middleware._type === 'output') {
      return parseOutput ? [outputMiddleware(path, procedure._def.output)] : [];
    }
    return [middleware];
  });

  async function run(
    index: number,
    ctx: object,
    input: unknown,
    getRawInput: () => Promise<unknown>,
  ): Promise<MiddlewareResult> {
    try {
      const middleware = middlewares[index];
      if (middleware === undefined) throw new Error(`${path}: the chain ended without a resolver`);
      return await middleware({
        ctx,
        type: type as 'query' | 'mutation',
        path,
        input,
        getRawInput,
        meta,
        signal: undefined,
        // Method syntax, not an arrow: tsx (esbuild keepNames) would name every arrow made per call.
        // Object.assign, not `{ ...ctx, ...options.ctx }`: on Node 20's V8 a spread followed by more properties
        // costs about 1 µs (0.06 µs this way), on every middleware of every request.
        next(options) {
          return run(
            index + 1,
            options?.ctx ? Object.assign({}, ctx, options.ctx) : ctx,
            options && 'input' in options ? options.input : input,
            options?.getRawInput ?? getRawInput,
          );
        },
      });
    } catch (cause) {
      const error = isTollgateError(cause) ? cause : getTRPCErrorFromUnknown(cause);
      return { ok: false, error, marker: 'middlewareMarker' };
    }
  }

  return async (ctx, rawInput) => {
    const result = await run(0, ctx, undefined, () => Promise.resolve(rawInput));
    if (!result.ok) throw result.error;
    return result.data;
  };
}

interface ParsingSchema {
  parse(value: unknown): unknown;
  parseAsync(value: unknown): Promise<unknown>;
}

function isParsingSchema(value: unknown): value is ParsingSchema {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ParsingSchema).parse === 'function' &&
    typeof (value as ParsingSchema).parseAsync === 'function'
  );
}

/**
 * tRPC's output validation — the resolver's result parsed by the `.output()` schema (unknown keys stripped),
 * a failure being INTERNAL_SERVER_ERROR "Output validation failed" — the result merged with `Object.assign`.
 */
function outputMiddleware(path: string, schema: unknown): Middleware {
  if (!isParsingSchema(schema)) throw new Error(`${path}: the output parser is not a zod schema`);
  return async ({ next }) => {
    const result = await next();
    if (!result.ok) return result;
    try {
      let data: unknown;
      try {
        data = schema.parse(result.data);
      } catch (error) {
        // A schema with asynchronous refinements refuses synchronous parsing; anything else is a real failure.
        if ((error as { issues?: unknown }).issues !== undefined) throw error;
        data = await schema.parseAsync(result.data);
      }
      return Object.assign({}, result, { data });
    } catch (cause) {
      throw new TRPCError({ message: 'Output validation failed', code: 'INTERNAL_SERVER_ERROR', cause });
    }
  };
}
