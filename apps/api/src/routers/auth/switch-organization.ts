import { findMembership, setSessionOrganization } from '@tollgate/db';
import {
  TollgateError,
  ZSwitchOrganizationInputSchema,
  ZSwitchOrganizationOutputSchema,
} from '@tollgate/domain';
import { csrfTokenOfRequest } from '../../auth/session.ts';
import { describeSession } from '../../auth/session-view.ts';
import { sessionProcedure } from '../../trpc/procedures.ts';

/** Makes another of the user's organisations the one the session acts in; any other id is NOT_FOUND. */
export const switchOrganizationProcedure = sessionProcedure
  .input(ZSwitchOrganizationInputSchema)
  .output(ZSwitchOrganizationOutputSchema)
  .mutation(async ({ ctx: { services, request, principal }, input }) => {
    const membership = await findMembership(services.db, input.organizationId, principal.userId);
    if (!membership) throw new TollgateError('NOT_FOUND', 'You are not a member of that organisation.');
    await setSessionOrganization(services.db, principal.sessionId, input.organizationId);
    const csrfToken = csrfTokenOfRequest(request);
    if (csrfToken === null) throw new TollgateError('MISSING_TOKEN', 'Sign in first.');
    return describeSession(services, {
      userId: principal.userId,
      currentOrganizationId: input.organizationId,
      csrfToken,
    });
  });
