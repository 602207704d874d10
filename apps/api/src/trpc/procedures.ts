import { TollgateError } from '@tollgate/domain';
import type { Principal, SessionPrincipal } from '../auth/principal.ts';
import { authenticateSession, verifyCsrfToken } from '../auth/session.ts';
import { assertSessionAllowedOnRest } from '../auth/session-access.ts';
import { type Verification, verifyToken, verifyTokenById } from '../auth/verify-token.ts';
import { enforceSessionRateLimit } from '../ratelimit/enforce.ts';
import type { Context } from './context.ts';
import { baseProcedure, mapFailure, mapThrown, type ProcedureMeta, unmappedProcedure } from './init.ts';
import { assertStorableText } from './nul-character.ts';

/** No authentication: login, health-like procedures. */
export const publicProcedure = baseProcedure;

/** A signed-in web session (cookie) is required; tokens are not accepted (logout, me, switch organisation). */
export const sessionProcedure = baseProcedure.use(async ({ ctx, type, next }) => {
  const session = await authenticateSession(ctx.services, ctx.request);
  if (!session) throw new TollgateError('MISSING_TOKEN', 'Sign in first.');
  if (type === 'mutation') verifyCsrfToken(session, ctx.request.csrfToken);
  return next({ ctx: { principal: session as SessionPrincipal } });
});

/** Who the caller of a protected procedure is, with what the chain learnt verifying them. */
interface Authenticated {
  principal: Principal;
  /** The calling token as verification loaded it and how the request was counted; null for a session. */
  verification: Verification | null;
}

/**
 * Bearer token or session → organisation → the scope declared in the procedure's meta. A token is verified in
 * the exact order of §3 with the required scope as the last step; a session acts with its user's role ceiling
 * under the same scope check, and its mutations must carry the CSRF token.
 */
async function authenticate(
  ctx: Context,
  meta: ProcedureMeta | undefined,
  type: 'query' | 'mutation' | 'subscription',
): Promise<Authenticated> {
  const requiredScope = meta?.scope;
  if (requiredScope === undefined) {
    // A programming error: every protected procedure must say what it guards.
    throw new Error('protected procedure without a declared scope');
  }
  if (ctx.request.playgroundToken) {
    const verification = await verifyTokenById(ctx.services, {
      ...ctx.request.playgroundToken,
      ip: ctx.request.ip,
      requiredScope,
      request: ctx.request,
    });
    return { principal: verification.token.principal, verification };
  }
  if (ctx.request.authorization !== null) {
    const verification = await verifyToken(ctx.services, {
      authorization: ctx.request.authorization,
      authorizationRepeated: ctx.request.authorizationRepeated === true,
      ip: ctx.request.ip,
      requiredScope,
      request: ctx.request,
    });
    return { principal: verification.token.principal, verification };
  }
  const session = await authenticateSession(ctx.services, ctx.request);
  if (!session) throw new TollgateError('MISSING_TOKEN');
  if (ctx.request.surface === 'rest') await assertSessionAllowedOnRest(ctx.services, session);
  if (type === 'mutation') verifyCsrfToken(session, ctx.request.csrfToken);
  if (session.organizationId === null || session.role === null) {
    throw new TollgateError('FORBIDDEN', 'You are not a member of any organisation.');
  }
  // Web-app calls count against their organisation too (§6), before the scope check as for tokens.
  await enforceSessionRateLimit(ctx.services, session.organizationId, ctx.request);
  if (requiredScope !== null && !session.scopes.has(requiredScope)) {
    throw new TollgateError('INSUFFICIENT_SCOPE', `Your role does not include the ${requiredScope} scope.`);
  }
  return { principal: session, verification: null };
}

/**
 * The protected chain (see {@link authenticate}). It maps errors and refuses unstorable text (U+0000, lone
 * surrogates) itself, as baseProcedure's first step would: one middleware instead of two on every API request.
 */
export const protectedProcedure = unmappedProcedure.use(
  async ({ ctx, meta, type, path, getRawInput, next }) => {
    let caller: Authenticated;
    try {
      caller = await authenticate(ctx, meta, type);
      // After authentication, as the input's own validation would be.
      assertStorableText(await getRawInput());
    } catch (error) {
      throw mapThrown(ctx, path, error);
    }
    const result = await next({
      ctx: {
        principal: caller.principal,
        verification: caller.verification,
        organizationId: caller.principal.organizationId as string,
      },
    });
    mapFailure(ctx, path, result);
    return result;
  },
);
