import { isTollgateError, type Scope } from '@tollgate/domain';
import { initTRPC } from '@trpc/server';
import type { Context } from './context.ts';
import { toTollgateError, toTRPCError } from './errors.ts';

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
  rest?: RestRoute;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    errorFormatter({ shape, error }) {
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
        },
      };
    },
  });

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;

/**
 * Converts TollgateErrors thrown anywhere below into tRPC errors with the matching status, and logs what
 * is not a TollgateError (an internal failure the caller only sees as INTERNAL).
 */
const mapErrors = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (isTollgateError(cause)) throw toTRPCError(cause);
    if (result.error.code === 'INTERNAL_SERVER_ERROR') {
      ctx.services.log.error({ err: cause ?? result.error, path }, 'procedure failed');
    }
  }
  return result;
});

export const baseProcedure = t.procedure.use(mapErrors);
