import { TollgateError } from '@tollgate/domain';
import { csrfTokenOfRequest } from '../../auth/session.ts';
import { sessionProcedure } from '../../trpc/procedures.ts';
import { ZMeOutputSchema } from './me.types.ts';
import { describeSession } from './session-view.ts';

/** The signed-in user, their organisations, the current one with its role and scopes, and the CSRF token. */
export const me = sessionProcedure
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
