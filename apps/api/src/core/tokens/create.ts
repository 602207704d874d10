import { type Executor, findMembership, findOrganizationById, insertToken } from '@tollgate/db';
import {
  grantScopes,
  newId,
  newToken,
  parseScopes,
  type Role,
  resolvePolicy,
  resolveTokenExpiry,
  type Scope,
  TollgateError,
  type TTokenWithSecret,
  ZCreateTokenInput,
} from '@tollgate/domain';
import type { z } from 'zod';
import { recordAudit } from '../../audit/record.ts';
import type { Services } from '../../services.ts';
import { enqueueWebhookEvent } from '../../webhooks/outbox.ts';
import { toTokenObject } from '../token-object.ts';
import {
  authorityOf,
  canonicalIpAllowlist,
  listOf,
  parseInput,
  type TokenActor,
  type TokenCallOptions,
} from './authority.ts';

/**
 * Creates a token (§3, §5) and returns it with its plain secret, the only time the secret is ever shown.
 *
 * Checks, in this order: input (VALIDATION_FAILED), unknown scope strings (UNKNOWN_SCOPE, naming them),
 * the creator's role against policy.tokenCreateRoles (ROLE_NOT_ALLOWED), service tokens and tokens for
 * another member only for admins/owners (FORBIDDEN), the subject a member (NOT_FOUND), scopes (FORBIDDEN,
 * naming the refused ones: an explicit scope beyond the subject's role ceiling, beyond the creator's role
 * ceiling, or — for a token creating tokens — not held by that token; the default set is clipped to all
 * three instead), expiry under the policy (VALIDATION_FAILED).
 */
export async function createToken(
  services: Services,
  actor: TokenActor,
  rawInput: z.input<typeof ZCreateTokenInput>,
  options: TokenCallOptions = {},
): Promise<TTokenWithSecret> {
  const input = parseInput(ZCreateTokenInput, rawInput);
  const authority = authorityOf(actor);
  const now = services.clock.now();

  let requested: Scope[] | null = null;
  if (input.scopes !== undefined) {
    const parsed = parseScopes(input.scopes);
    if (!parsed.ok) {
      throw new TollgateError(
        'UNKNOWN_SCOPE',
        `${parsed.unknown.length === 1 ? 'This scope does' : 'These scopes do'} not exist: ${listOf(parsed.unknown)}.`,
        parsed.unknown.map((scope) => ({ path: 'scopes', message: `Unknown scope "${scope}"` })),
      );
    }
    requested = parsed.scopes;
  }

  const organization = await findOrganizationById(services.db, authority.organizationId);
  if (!organization) throw new TollgateError('NOT_FOUND', 'The organisation was not found.');
  const policy = resolvePolicy(organization.policy);
  if (authority.personRole !== null && !policy.tokenCreateRoles.includes(authority.personRole)) {
    throw new TollgateError(
      'ROLE_NOT_ALLOWED',
      `This organisation's policy does not allow members with the ${authority.personRole} role to create tokens.`,
    );
  }

  let subjectUserId: string | null = null;
  let subjectRole: Role | null = null;
  if (input.type === 'service') {
    if (input.subjectUserId !== undefined) {
      throw new TollgateError(
        'VALIDATION_FAILED',
        'A service token belongs to the organisation: leave out subjectUserId.',
        [{ path: 'subjectUserId', message: 'Not allowed for a service token' }],
      );
    }
    if (!authority.managesOthers) {
      throw new TollgateError('FORBIDDEN', 'Only owners and admins can create service tokens.');
    }
  } else {
    const target = input.subjectUserId ?? authority.userId;
    if (target === null) {
      throw new TollgateError(
        'VALIDATION_FAILED',
        'Say whose personal token this is: subjectUserId is required.',
        [{ path: 'subjectUserId', message: 'Required' }],
      );
    }
    if (target !== authority.userId && !authority.managesOthers) {
      throw new TollgateError('FORBIDDEN', 'Only owners and admins can create tokens for other members.');
    }
    const membership = await findMembership(services.db, authority.organizationId, target);
    if (!membership) throw new TollgateError('NOT_FOUND', 'No member of this organisation has that user id.');
    subjectUserId = target;
    subjectRole = membership.role;
  }

  const granted = grantScopes(
    requested,
    {
      grantable: authority.grantable,
      viaToken: authority.tokenId !== null,
      personRole: authority.personRole,
    },
    subjectRole,
  );
  if (!granted.ok) {
    const { refused } = granted;
    throw new TollgateError(
      'FORBIDDEN',
      `You cannot grant ${refused.length === 1 ? 'this scope' : 'these scopes'}: ${listOf(refused.map((r) => r.scope))}.`,
      refused.map((r) => ({ path: 'scopes', message: r.reason })),
    );
  }
  const scopes = granted.scopes;

  const expiry = resolveTokenExpiry({
    policy,
    now,
    expiresAt: input.expiresAt ?? null,
    expiresInDays: input.expiresInDays ?? null,
  });
  if (!expiry.ok) {
    throw new TollgateError('VALIDATION_FAILED', expiry.message, [
      { path: input.expiresInDays !== undefined ? 'expiresInDays' : 'expiresAt', message: expiry.message },
    ]);
  }
  const ipAllowlist = canonicalIpAllowlist(input.ipAllowlist);

  const secret = newToken(input.type, { prefix: services.env.TOKEN_PREFIX });
  const row = await services.db.transaction().execute(async (tx: Executor) => {
    const inserted = await insertToken(tx, {
      id: newId('token', now),
      organizationId: authority.organizationId,
      type: input.type,
      subjectUserId,
      createdByUserId: authority.userId,
      createdByTokenId: authority.tokenId,
      name: input.name,
      description: input.description ?? null,
      environment: input.environment ?? null,
      scopes,
      ipAllowlist,
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
      rateLimitPerHour: input.rateLimitPerHour ?? null,
      expiresAt: expiry.expiresAt,
      active: true,
      revokedAt: null,
      revokedReason: null,
      lastUsedAt: null,
      lastUsedIp: null,
      prefix: secret.prefix,
      hash: secret.hash,
      previousHash: null,
      previousHashExpiresAt: null,
      expiryNotifiedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await recordAudit(tx, {
      organizationId: authority.organizationId,
      actor: authority.audit,
      action: 'token.created',
      target: { type: 'token', id: inserted.id },
      request: options.request ?? null,
      detail: {
        name: inserted.name,
        type: inserted.type,
        prefix: inserted.prefix,
        scopes,
        subjectUserId,
        expiresAt: expiry.expiresAt?.toISOString() ?? null,
        ipAllowlist,
      },
    });
    await enqueueWebhookEvent(tx, {
      organizationId: authority.organizationId,
      type: 'token.created',
      payload: { token: { ...toTokenObject(inserted, now) } },
      at: now,
    });
    return inserted;
  });
  return { ...toTokenObject(row, now), token: secret.token };
}
