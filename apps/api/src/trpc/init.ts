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
 * What every procedure's chain does with a failed result: a TollgateError (thrown anywhere below) becomes the
 * tRPC error with the matching status, and so does an unreachable database, as UNAVAILABLE (not logged per
 * request: an outage would write a line per request, and the background jobs report it once); anything else
 * is logged, as an internal failure the caller only sees as INTERNAL.
 */
export function mapFailure(
  ctx: Context,
  path: string,
  result: { ok: true } | { ok: false; error: TRPCError },
): void {
  if (result.ok) return;
  const cause = result.error.cause;
  const known = knownTollgateError(cause);
  if (known) throw toTRPCError(known);
  if (result.error.code === 'INTERNAL_SERVER_ERROR') {
    ctx.services.log.error(
      { err: cause ?? result.error, path, reqId: ctx.request.requestId },
      'procedure failed',
    );
  }
}

/** The same for an error a chain's first middleware throws itself (see protectedProcedure). */
export function mapThrown(ctx: Context, path: string, error: unknown): unknown {
  const known = knownTollgateError(error);
  if (known) return toTRPCError(known);
  if (!(error instanceof TRPCError) || error.code === 'INTERNAL_SERVER_ERROR') {
    ctx.services.log.error({ err: error, path, reqId: ctx.request.requestId }, 'procedure failed');
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
