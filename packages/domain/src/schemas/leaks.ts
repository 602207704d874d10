import { z } from 'zod';

/** Most credentials one leak report may carry (§13). */
export const MAX_REPORTED_CREDENTIALS = 1000;
/** Longest string a leak report may carry: far above a token's length, so a real token is never refused. */
export const MAX_REPORTED_CREDENTIAL_LENGTH = 1000;
/** Public leak reports allowed per client address and hour (§13). */
export const PUBLIC_LEAK_REPORTS_PER_HOUR = 60;

/** `POST /api/v1/credentials/revoke`: GitHub's credential-revocation request shape. */
export const ZRevokeCredentialsInput = z.object({
  credentials: z
    .array(z.string().max(MAX_REPORTED_CREDENTIAL_LENGTH))
    .min(1, { error: 'Report at least one credential' })
    .max(MAX_REPORTED_CREDENTIALS, { error: `At most ${MAX_REPORTED_CREDENTIALS} credentials per report` })
    .describe('Strings that may be Tollgate tokens found where they should not be'),
});
export type TRevokeCredentialsInput = z.infer<typeof ZRevokeCredentialsInput>;

/** The answer, the same whatever the strings were: no answer says whether a token existed. */
export const ZRevokeCredentialsOutput = z.object({
  received: z.number().int().min(0).describe('How many strings the report held'),
});
export type TRevokeCredentialsOutput = z.infer<typeof ZRevokeCredentialsOutput>;

/** One credential of a GitHub secret-scanning report. */
export const ZGithubSecretScanningMatch = z.object({
  token: z.string().max(MAX_REPORTED_CREDENTIAL_LENGTH),
  type: z.string().max(200),
  url: z.string().max(2000).optional(),
  source: z.string().max(200).optional(),
});
/** GitHub's secret-scanning partner request: an array of matches. */
export const ZGithubSecretScanningReport = z.array(ZGithubSecretScanningMatch).max(MAX_REPORTED_CREDENTIALS);
export type TGithubSecretScanningReport = z.infer<typeof ZGithubSecretScanningReport>;
