import { getTRPCErrorFromUnknown } from '@trpc/server';
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

type Middleware = (options: MiddlewareOptions) => Promise<MiddlewareResult>;

/** The runtime definition of a built procedure, as tRPC 11 keeps it in `router._def.procedures`. */
export interface ProcedureRuntime {
  _def: {
    type: 'query' | 'mutation' | 'subscription';
    meta?: ProcedureMeta;
    middlewares: Middleware[];
  };
}

/** Calls one procedure with a context and a raw input; resolves to its output or rejects with its TRPCError. */
export type ProcedureInvoker = (ctx: Context, rawInput: unknown) => Promise<unknown>;

/**
 * Runs a procedure exactly as a tRPC caller does — its own middlewares in order (error formatting, the
 * authentication chain, input parsing, output validation, the resolver), each `next()` merging the context
 * the middleware adds — without building a caller proxy per request. This is tRPC 11's `callRecursive`, with
 * native object spreads: the library's compiled spread helper defines every property one by one and was a
 * tenth of the REST facade's time per request (BENCHMARKS.md). route-table.test.ts holds it to the caller's
 * behaviour on every route of the matrix.
 */
export function procedureInvoker(path: string, procedure: ProcedureRuntime): ProcedureInvoker {
  const { middlewares, meta, type } = procedure._def;
  if (type === 'subscription') throw new Error(`${path}: a subscription cannot be invoked`);

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
        next: (options) =>
          run(
            index + 1,
            options?.ctx ? { ...ctx, ...options.ctx } : ctx,
            options && 'input' in options ? options.input : input,
            options?.getRawInput ?? getRawInput,
          ),
      });
    } catch (cause) {
      return { ok: false, error: getTRPCErrorFromUnknown(cause), marker: 'middlewareMarker' };
    }
  }

  return async (ctx, rawInput) => {
    const result = await run(0, ctx, undefined, () => Promise.resolve(rawInput));
    if (!result.ok) throw result.error;
    return result.data;
  };
}
