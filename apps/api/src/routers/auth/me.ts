import { TollgateError, ZMeOutputSchema } from '@tollgate/domain';
import { csrfTokenOfRequest } from '../../auth/session.ts';
import { describeSession } from '../../auth/session-view.ts';
import { sessionProcedure } from '../../trpc/procedures.ts';

/** The signed-in user, their organisations, the current one with its role and scopes, and the CSRF token. */
export const meProcedure = sessionProcedure
  .output(ZMeOutputSchema)
  .query(async ({ ctx: { services, request, principal } }) => {
    const csrfToken = csrfTokenOfRequest(request);
    if (csrfToken === null) throw new TollgateError('MISSING_TOKEN', 'Sign in first.');
    return describeSession(services, {
      userId: principal.userId,
      currentOrganizationId: principal.organizationId,
      csrfToken,
    });
  });
