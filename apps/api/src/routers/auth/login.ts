import {
  deleteExpiredSessions,
  deleteSession,
  type Executor,
  findUserByEmail,
  listMembershipsForUser,
} from '@tollgate/db';
import { TollgateError, ZLoginOutputSchema } from '@tollgate/domain';
import { recordAudit } from '../../audit/record.ts';
import { loginLimiterFor } from '../../auth/login-limiter.ts';
import { verifyDummyPassword, verifyPassword } from '../../auth/password.ts';
import { authenticateSession, createSession } from '../../auth/session.ts';
import { describeSession } from '../../auth/session-view.ts';
import { publicProcedure } from '../../trpc/procedures.ts';
import { ZLoginInputSchema } from './auth.types.ts';

/** The same sentence for an unknown email and a wrong password, so that neither reveals which emails exist. */
const WRONG_CREDENTIALS = 'Email or password is incorrect.';

/**
 * Signs in with email and password: sets the HttpOnly session cookie and returns the user, their
 * organisations and the CSRF token for mutations. Attempts are limited per address and per account.
 */
export const loginProcedure = publicProcedure
  .input(ZLoginInputSchema)
  .output(ZLoginOutputSchema)
  .mutation(async ({ ctx: { services, request }, input }) => {
    const limiter = loginLimiterFor(services);
    const wait = await limiter.begin(input.email, request.ip);
    if (wait > 0) {
      request.setHeader('Retry-After', String(wait));
      throw new TollgateError('RATE_LIMITED');
    }

    const user = await findUserByEmail(services.db, input.email);
    // Unknown emails cost a full verification too: the response time must not tell them apart.
    const passwordMatches = user
      ? await verifyPassword(input.password, user.passwordHash)
      : await verifyDummyPassword(input.password);
    const memberships = user ? await listMembershipsForUser(services.db, user.id) : [];
    const requested = input.organizationSlug
      ? memberships.find((membership) => membership.organizationSlug === input.organizationSlug)
      : memberships[0];

    if (!user || !passwordMatches) {
      // Known accounts get an entry (in the organisation the login aimed at) so admins can see guessing;
      // an unknown email gets none: there is no organisation to show it to, and it may be a mistyped secret.
      if (user) {
        await recordAudit(services.db, {
          organizationId: requested?.organizationId ?? memberships[0]?.organizationId ?? null,
          actor: { type: 'user', id: user.id, userId: user.id },
          action: 'session.login_failed',
          target: { type: 'user', id: user.id },
          request,
          detail: { reason: 'wrong_password' },
        });
      }
      throw new TollgateError('FORBIDDEN', WRONG_CREDENTIALS);
    }
    await limiter.succeeded(input.email, request.ip);
    if (input.organizationSlug && !requested) {
      throw new TollgateError('NOT_FOUND', 'You are not a member of an organisation with that slug.');
    }

    const previous = await authenticateSession(services, request);
    const currentOrganizationId = requested?.organizationId ?? null;
    const session = await services.db.transaction().execute(async (tx: Executor) => {
      // A new sign-in in the same browser replaces the old session rather than leaving it alive.
      if (previous) await deleteSession(tx, previous.sessionId);
      // Expired sessions are refused anyway; sign-ins sweep them away (an indexed delete, usually of nothing).
      await deleteExpiredSessions(tx, services.clock.now());
      const created = await createSession(services, {
        userId: user.id,
        organizationId: currentOrganizationId,
        request,
        executor: tx,
      });
      await recordAudit(tx, {
        organizationId: currentOrganizationId,
        actor: { type: 'user', id: user.id, userId: user.id },
        action: 'session.login',
        target: { type: 'session', id: created.sessionId },
        request,
      });
      return created;
    });
    return describeSession(services, {
      userId: user.id,
      currentOrganizationId,
      csrfToken: session.csrfToken,
    });
  });
