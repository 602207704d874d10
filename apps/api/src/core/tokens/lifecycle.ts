import {
  deleteTokenById,
  type Executor,
  findTokenByIdForUpdate,
  retireTokenSecrets,
  revokeTokenIfNotRevoked,
  type TokenRow,
  type TokenUpdate,
  updateTokenById,
} from '@tollgate/db';
import {
  newToken,
  TollgateError,
  type TToken,
  type TTokenRevokedReason,
  type TTokenWithSecret,
  type WebhookEventType,
  ZRotateTokenInput,
  ZUpdateTokenInput,
} from '@tollgate/domain';
import type { z } from 'zod';
import { recordAudit } from '../../audit/record.ts';
import type { Services } from '../../services.ts';
import { enqueueWebhookEvent } from '../../webhooks/outbox.ts';
import { diffFields } from '../field-diff.ts';
import { publishAfterCommit } from '../publish.ts';
import { secretsRetiredByRotation } from '../token-families.ts';
import { toTokenObject } from '../token-object.ts';
import {
  type Authority,
  authorityOf,
  canManage,
  canonicalIpAllowlist,
  listOf,
  notFound,
  parseInput,
  revokedConflict,
  type TokenActor,
  type TokenCallOptions,
} from './authority.ts';
import { type TokenDetail, toTokenDetail } from './detail.ts';

/** Tells every API process to forget what it cached about the token. Call after the commit. */
function publishTokenChange(services: Services, tokenId: string): Promise<void> {
  return publishAfterCommit(services, { kind: 'token', tokenId });
}

interface ChangeResult {
  row: TokenRow;
  /** The audit detail; null when nothing changed, so there is nothing to record or invalidate. */
  detail: Record<string, unknown> | null;
  /** Fields the webhook event carries beside `token` (e.g. `reason` of token.revoked, §8). */
  event?: Record<string, unknown>;
}

/**
 * The frame of every change to an existing token: lock the row, check the actor may manage it, apply the
 * change and its audit entry in one transaction, then invalidate caches after the commit.
 */
async function changeToken(
  services: Services,
  actor: TokenActor,
  id: string,
  action: WebhookEventType,
  options: TokenCallOptions,
  apply: (tx: Executor, row: TokenRow, authority: Authority, now: Date) => Promise<ChangeResult>,
): Promise<{ row: TokenRow; now: Date }> {
  const authority = authorityOf(actor);
  const now = services.clock.now();
  const result = await services.db.transaction().execute(async (tx: Executor) => {
    const row = await findTokenByIdForUpdate(tx, authority.organizationId, id);
    if (!row || !canManage(authority, row)) throw notFound();
    const change = await apply(tx, row, authority, now);
    if (change.detail !== null) {
      await recordAudit(tx, {
        organizationId: authority.organizationId,
        actor: authority.audit,
        action,
        target: { type: 'token', id },
        request: options.request ?? null,
        detail: { name: change.row.name, prefix: change.row.prefix, ...change.detail },
      });
      await enqueueWebhookEvent(tx, {
        organizationId: authority.organizationId,
        type: action,
        payload: { ...change.event, token: { ...toTokenObject(change.row, now) } },
        at: now,
      });
    }
    return change;
  });
  if (result.detail !== null) await publishTokenChange(services, id);
  return { row: result.row, now };
}

async function mustUpdate(tx: Executor, row: TokenRow, changes: TokenUpdate): Promise<TokenRow> {
  const updated = await updateTokenById(tx, row.organizationId, row.id, changes);
  if (!updated) throw notFound();
  return updated;
}

/** Changes name, description, environment and IP allowlist; scopes never change (§3). */
export async function updateToken(
  services: Services,
  actor: TokenActor,
  rawInput: z.input<typeof ZUpdateTokenInput> & { id: string },
  options: TokenCallOptions = {},
): Promise<TToken> {
  const input = parseInput(ZUpdateTokenInput, rawInput);
  const ipAllowlist = input.ipAllowlist === undefined ? undefined : canonicalIpAllowlist(input.ipAllowlist);
  const { row, now } = await changeToken(
    services,
    actor,
    rawInput.id,
    'token.updated',
    options,
    async (tx, current, _a, now) => {
      if (current.revokedAt !== null) throw revokedConflict();
      const { changes, detail } = diffFields(current, {
        name: input.name,
        description: input.description === '' ? null : input.description,
        environment: input.environment,
        ipAllowlist,
      });
      if (detail === null) return { row: current, detail: null };
      const updated = await mustUpdate(tx, current, { ...changes, updatedAt: now });
      return { row: updated, detail: { ...detail } };
    },
  );
  return toTokenObject(row, now);
}

/**
 * Deactivates (`active: false`) or reactivates a token: immediate and reversible. Setting the state it
 * already has changes nothing; a revoked token cannot be changed (CONFLICT).
 */
export async function setTokenActive(
  services: Services,
  actor: TokenActor,
  input: { id: string; active: boolean },
  options: TokenCallOptions = {},
): Promise<TToken> {
  const action = input.active ? 'token.reactivated' : 'token.deactivated';
  const { row, now } = await changeToken(
    services,
    actor,
    input.id,
    action,
    options,
    async (tx, current, _a, now) => {
      if (current.revokedAt !== null) throw revokedConflict();
      if (current.active === input.active) return { row: current, detail: null };
      const updated = await mustUpdate(tx, current, { active: input.active, updatedAt: now });
      return { row: updated, detail: {} };
    },
  );
  return toTokenObject(row, now);
}

/**
 * Revokes a token: immediate and irreversible; the row stays with revokedAt and revokedReason (§3; `manual`
 * unless the caller says why, e.g. `exposed` for a leak report). Revoking twice is a CONFLICT.
 */
export async function revokeToken(
  services: Services,
  actor: TokenActor,
  input: { id: string; reason?: TTokenRevokedReason },
  options: TokenCallOptions = {},
): Promise<TToken> {
  const reason = input.reason ?? 'manual';
  const { row, now } = await changeToken(
    services,
    actor,
    input.id,
    'token.revoked',
    options,
    async (tx, current, _a, now) => {
      if (current.revokedAt !== null)
        throw new TollgateError('CONFLICT', 'This token has already been revoked.');
      // Conditional on revoked_at is null as well as locked, so a second revoke can never win too.
      const updated = await revokeTokenIfNotRevoked(tx, current.organizationId, current.id, now, reason);
      if (!updated) throw new TollgateError('CONFLICT', 'This token has already been revoked.');
      return { row: updated, detail: { reason }, event: { reason } };
    },
  );
  return toTokenObject(row, now);
}

/** Deletes a token for good; its audit entries stay. */
export async function deleteToken(
  services: Services,
  actor: TokenActor,
  input: { id: string },
  options: TokenCallOptions = {},
): Promise<void> {
  await changeToken(services, actor, input.id, 'token.deleted', options, async (tx, current) => {
    const deleted = await deleteTokenById(tx, current.organizationId, current.id);
    if (!deleted) throw notFound();
    return { row: deleted, detail: { type: deleted.type, subjectUserId: deleted.subjectUserId } };
  });
}

/**
 * Issues a new secret for the token, keeping its id and settings. The old secret keeps working for
 * `gracePeriodSeconds` (0–7 days; 0 refuses it at once). Because the caller receives a working secret, it
 * must be able to grant every scope of the token itself (FORBIDDEN otherwise): an admin cannot obtain an
 * owner's billing:write token this way, nor can a token obtain one wider than itself. Revoked or expired tokens
 * cannot be rotated (CONFLICT).
 */
export async function rotateToken(
  services: Services,
  actor: TokenActor,
  rawInput: z.input<typeof ZRotateTokenInput> & { id: string },
  options: TokenCallOptions = {},
): Promise<TTokenWithSecret> {
  const input = parseInput(ZRotateTokenInput, rawInput);
  let secret = '';
  const { row, now } = await changeToken(
    services,
    actor,
    rawInput.id,
    'token.rotated',
    options,
    async (tx, current, authority, now) => {
      if (current.revokedAt !== null) throw revokedConflict();
      if (current.expiresAt !== null && current.expiresAt.getTime() <= now.getTime()) {
        throw new TollgateError(
          'CONFLICT',
          'This token has expired; create a new token instead of rotating it.',
        );
      }
      const beyond = current.scopes.filter((scope) => !authority.grantable.has(scope));
      if (beyond.length > 0) {
        throw new TollgateError(
          'FORBIDDEN',
          `You cannot rotate this token: it holds scopes you cannot grant (${listOf(beyond)}).`,
        );
      }
      const fresh = newToken(current.type, { prefix: services.env.TOKEN_PREFIX });
      secret = fresh.token;
      const graceEnds =
        input.gracePeriodSeconds > 0 ? new Date(now.getTime() + input.gracePeriodSeconds * 1000) : null;
      await retireTokenSecrets(tx, secretsRetiredByRotation(current, now, graceEnds));
      const updated = await mustUpdate(tx, current, {
        hash: fresh.hash,
        prefix: fresh.prefix,
        previousHash: graceEnds === null ? null : current.hash,
        previousHashExpiresAt: graceEnds,
        updatedAt: now,
      });
      return {
        row: updated,
        detail: {
          previousPrefix: current.prefix,
          gracePeriodSeconds: input.gracePeriodSeconds,
          previousSecretExpiresAt: graceEnds?.toISOString() ?? null,
        },
      };
    },
  );
  return { ...toTokenObject(row, now), token: secret };
}

/**
 * Ends a rotation's grace period now: the previous secret is refused from this moment (every process within
 * a second, as for a revoke). Without a previous secret still in its grace it changes nothing.
 */
export async function endRotationGrace(
  services: Services,
  actor: TokenActor,
  input: { id: string },
  options: TokenCallOptions = {},
): Promise<TokenDetail> {
  const { row, now } = await changeToken(
    services,
    actor,
    input.id,
    'token.updated',
    options,
    async (tx, current, _a, now) => {
      const graceEnds = current.previousHash !== null ? current.previousHashExpiresAt : null;
      if (graceEnds === null || graceEnds.getTime() <= now.getTime()) return { row: current, detail: null };
      // The family (§12) remembers the previous secret as retired now, not at the grace it was given: from
      // here on, presenting it is reuse.
      await retireTokenSecrets(tx, [
        { hash: current.previousHash as string, tokenId: current.id, prefix: null, retiredAt: now },
      ]);
      const updated = await mustUpdate(tx, current, {
        previousHash: null,
        previousHashExpiresAt: null,
        updatedAt: now,
      });
      return {
        row: updated,
        detail: {
          fields: ['previousSecret'],
          before: { previousSecretExpiresAt: graceEnds.toISOString() },
        },
      };
    },
  );
  return toTokenDetail(row, now);
}
