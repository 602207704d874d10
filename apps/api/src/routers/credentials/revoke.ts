import { ZRevokeCredentialsInput, ZRevokeCredentialsOutput } from '@tollgate/domain';
import { receivePublicLeakReport } from '../../core/leaks.ts';
import { publicProcedure } from '../../trpc/procedures.ts';

/**
 * A public leak report (§13, GitHub's credential-revocation shape): anyone who finds Tollgate tokens where
 * they should not be posts them, without authenticating; each well-formed, existing, unrevoked one is
 * revoked as exposed just after the answer, which is the same whatever the strings were. Served at
 * `POST /api/v1/credentials/revoke` too (rest/leaks.ts).
 */
export const revokeCredentialsProcedure = publicProcedure
  .input(ZRevokeCredentialsInput)
  .output(ZRevokeCredentialsOutput)
  .mutation(({ ctx, input }) => receivePublicLeakReport(ctx.services, input.credentials, ctx.request));
