import { claimReuseEvent, findRetiredSecret, findTokenById } from '@tollgate/db';
import { resolvePolicy, TollgateError } from '@tollgate/domain';
import { recordAudit, SYSTEM_ACTOR } from '../audit/record.ts';
import type { RequestInfo } from '../request-info.ts';
import type { Services } from '../services.ts';
import { enqueueWebhookEvent } from '../webhooks/outbox.ts';
import { toTokenObject } from './token-object.ts';
// The lifecycle module, not the tokens barrel: the barrel's reading half needs verify-token, which needs this.
import { revokeToken } from './tokens/lifecycle.ts';

/** At most one `token.reuse_detected` event per token in this long (§12); every reuse is audited. */
export const REUSE_EVENT_INTERVAL_MS = 3_600_000;

/**
 * Reports a presented secret if it is a retired one of some token's family (§12): one `token.reuse_detected`
 * audit entry (with the request's IP and user agent), the `token.reuse_detected` event unless one was sent for
 * the token within the hour, and with the organisation's `revokeOnReuse` the token revoked (reason `reuse`,
 * honoured by every process within a second). False when the hash was never a secret of any token. Runs only
 * for a hash the token lookup did not find, or found as a previous secret whose grace has ended.
 */
export async function reportRetiredSecret(
  services: Services,
  hash: string,
  request: Pick<RequestInfo, 'ip' | 'userAgent'>,
): Promise<boolean> {
  const match = await findRetiredSecret(services.db, hash);
  if (!match) return false;
  const now = services.clock.now();
  const policy = resolvePolicy(match.organizationPolicy);
  const detail = {
    retiredPrefix: match.retiredPrefix,
    retiredAt: match.retiredAt.toISOString(),
    revokeOnReuse: policy.revokeOnReuse,
  };
  await services.db.transaction().execute(async (tx) => {
    await recordAudit(tx, {
      organizationId: match.organizationId,
      actor: SYSTEM_ACTOR,
      action: 'token.reuse_detected',
      target: { type: 'token', id: match.tokenId },
      request,
      detail,
    });
    if (!(await claimReuseEvent(tx, match.tokenId, now, REUSE_EVENT_INTERVAL_MS))) return;
    const token = await findTokenById(tx, match.organizationId, match.tokenId);
    if (!token) return;
    await enqueueWebhookEvent(tx, {
      organizationId: match.organizationId,
      type: 'token.reuse_detected',
      payload: { ...detail, ip: request.ip, userAgent: request.userAgent, token: toTokenObject(token, now) },
      at: now,
    });
  });
  if (policy.revokeOnReuse && match.revokedAt === null) {
    try {
      await revokeToken(
        services,
        { kind: 'system', organizationId: match.organizationId },
        { id: match.tokenId, reason: 'reuse' },
        { request },
      );
    } catch (error) {
      // Revoked (or deleted) meanwhile, e.g. by a concurrent reuse: nothing left to do.
      if (!(error instanceof TollgateError && (error.code === 'CONFLICT' || error.code === 'NOT_FOUND'))) {
        throw error;
      }
    }
  }
  return true;
}
