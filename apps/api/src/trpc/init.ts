import type { Scope } from '@tollgate/domain';
import { initTRPC, TRPCError } from '@trpc/server';
import { knownTollgateError } from '../errors.ts';
import type { Context } from './context.ts';
import { toTollgateError, toTRPCError } from './errors.ts';
import { assertStorableText } from './nul-character.ts';

/** Where a procedure is served on the REST facade (/api/v1). */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below /api/v1 with `{param}` placeholders, e.g. `/tokens/{id}`. */
  path: string;
  summary: string;
  /** Category in the OpenAPI document and the playground, e.g. `Tokens`. */
  tags: string[];
  /** Status of a successful response; 200 unless stated. */
  successStatus?: 200 | 201 | 204;
}

export interface ProcedureMeta {
  /**
   * The scope a caller needs. Every protected procedure declares it; `null` means any authenticated caller
   * (e.g. `tokens.self`). The REST facade, the OpenAPI document and the playground read it from here.
   */
  scope?: Scope | null;
  /**
   * The procedure spends the organisation's credits, so it can answer 402 INSUFFICIENT_CREDITS: its REST
   * operation documents that status (every other status follows from what the facade itself can produce).
   */
  debitsCredits?: boolean;
  rest?: RestRoute;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    errorFormatter({ shape, error, ctx }) {
      const tollgate = toTollgateError(error);
      return {
        ...shape,
        message: tollgate.message,
        data: {
          code: shape.data.code,
          httpStatus: tollgate.status,
          path: shape.data.path,
          /** The §7 code, the same as the REST facade's `code`. */
          appCode: tollgate.code,
          details: tollgate.details ?? null,
          /** The response's Request-Id (§7), as in the server's log line; null outside HTTP. */
          requestId: ctx?.request.requestId ?? null,
        },
      };
    },
  });

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;

/**
 * What every procedure's chain does with a failed result (see {@link mapThrown}): when the failure must change
 * form on its way up, the new form is thrown; otherwise the result passes up as it is.
 */
export function mapFailure(
  ctx: Context,
  path: string,
  result: { ok: true } | { ok: false; error: unknown },
): void {
  if (result.ok) return;
  const mapped = mapThrown(ctx, path, result.error);
  if (mapped !== result.error) throw mapped;
}

/**
 * The one place where a failure of a procedure's chain gets the form of the surface it goes out through, called
 * by each chain's first middleware (baseProcedure's, protectedProcedure's) for what it throws itself and, through
 * {@link mapFailure}, for a failed result from below. Returns what to throw.
 *
 * - A §7 error ({@link knownTollgateError}: a TollgateError thrown anywhere below, or an unreachable database
 *   as UNAVAILABLE, not logged per request: an outage would write a line per request, and the background jobs
 *   report it once) stays that TollgateError through the REST facade (`surface: 'rest'`, set only by the facade
 *   and the playground, which run procedures with rest/invoke.ts: the invoker hands it to the facade's error
 *   handler untouched). For tRPC's own surfaces (its HTTP adapter, createCaller) it becomes, here and only here,
 *   the TRPCError with the matching code ({@link toTRPCError}): tRPC's runner would make anything else
 *   INTERNAL_SERVER_ERROR, and its wire code and a client's `error.data.code` come from that code.
 * - Anything else is logged, with the path and the request id, as an internal failure the caller only sees as
 *   INTERNAL; tRPC's own errors for a caller's mistake (invalid input: BAD_REQUEST) pass as they are.
 */
export function mapThrown(ctx: Context, path: string, error: unknown): unknown {
  const cause = error instanceof TRPCError ? error.cause : error;
  const known = knownTollgateError(cause);
  if (known) return ctx.request.surface === 'rest' ? known : toTRPCError(known);
  if (!(error instanceof TRPCError) || error.code === 'INTERNAL_SERVER_ERROR') {
    ctx.services.log.error({ err: cause ?? error, path, reqId: ctx.request.requestId }, 'procedure failed');
  }
  return error;
}

const mapErrors = t.middleware(async ({ ctx, next, path, getRawInput }) => {
  try {
    assertStorableText(await getRawInput());
  } catch (error) {
    throw mapThrown(ctx, path, error);
  }
  const result = await next();
  mapFailure(ctx, path, result);
  return result;
});

/** Every procedure starts here: errors mapped by {@link mapFailure}, inputs holding U+0000 or a lone surrogate refused. */
export const baseProcedure = t.procedure.use(mapErrors);

/**
 * The builder without the error mapping, for a chain whose first middleware maps errors itself with
 * {@link mapFailure} and {@link mapThrown} — one step less on the hot path (protectedProcedure).
 */
export const unmappedProcedure = t.procedure;
