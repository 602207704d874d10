import { z } from 'zod';

/**
 * Why a token was revoked (§3 `revokedReason`): `manual` by a person, a token or an operator (the API, the web
 * app, the CLI); `exposed` when a leak report or a scan found it (§13); `reuse` when a rotated-away secret came
 * back and the policy says so (§12); `member_removed` when its subject left the organisation.
 */
export const TOKEN_REVOKED_REASONS = ['manual', 'exposed', 'reuse', 'member_removed'] as const;
export const ZTokenRevokedReason = z.enum(TOKEN_REVOKED_REASONS);
export type TTokenRevokedReason = z.infer<typeof ZTokenRevokedReason>;
