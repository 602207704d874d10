import type { Executor } from '@tollgate/db';
import { ZLogoutOutputSchema } from '@tollgate/domain';
import { recordAudit } from '../../audit/record.ts';
import { destroySession } from '../../auth/session.ts';
import { sessionProcedure } from '../../trpc/procedures.ts';

/** Ends the session: its row is deleted (the cookie is useless from now on, in any copy) and the cookie cleared. */
export const logoutProcedure = sessionProcedure
  .output(ZLogoutOutputSchema)
  .mutation(async ({ ctx: { services, request, principal } }) => {
    await services.db.transaction().execute(async (tx: Executor) => {
      await destroySession(services, { sessionId: principal.sessionId, request, executor: tx });
      await recordAudit(tx, {
        organizationId: principal.organizationId,
        actor: { type: 'user', id: principal.userId, userId: principal.userId },
        action: 'session.logout',
        target: { type: 'session', id: principal.sessionId },
        request,
      });
    });
    return { signedOut: true as const };
  });
