import {
  deleteTokenById,
  type Executor,
  findMembership,
  findOrganizationById,
  findTokenById,
  findTokenByIdForUpdate,
  insertToken,
  listTokenPage,
  retireTokenSecrets,
  revokeTokenIfNotRevoked,
  type TokenRow,
  type TokenUpdate,
  updateTokenById,
} from '@tollgate/db';
import {
  canManageOthersTokens,
  DEFAULT_SCOPES,
  type ErrorDetail,
  impliedScopes,
  newId,
  newToken,
  normalizeScopes,
  parseIpRange,
  parseScopes,
  type RateLimits,
  type Role,
  resolvePolicy,
  resolveTokenExpiry,
  roleAllows,
  roleCeiling,
  type Scope,
  type TListTokensInput,
  TollgateError,
  type TToken,
  type TTokenRevokedReason,
  type TTokenWithSecret,
  type WebhookEventType,
  ZCreateTokenInput,
  ZListTokensInput,
  ZRotateTokenInput,
  ZUpdateTokenInput,
} from '@tollgate/domain';
import type { z } from 'zod';
import { type AuditActor, actorOf, recordAudit, SYSTEM_ACTOR } from '../audit/record.ts';
import type { Verification } from '../auth/verify-token.ts';
import type { RateLimitWindowName } from '../ratelimit/config.ts';
import type { Services } from '../services.ts';
import type { Principal, RequestInfo } from '../trpc/context.ts';
import { enqueueWebhookEvent } from '../webhooks/outbox.ts';
import { withLatestAddress } from './last-used-ips.ts';
import { publishAfterCommit } from './publish.ts';
import { secretsRetiredByRotation } from './token-families.ts';
import { toTokenObject } from './token-object.ts';

export { toTokenObject } from './token-object.ts';

/**
 * Tollgate itself acting in one organisation, e.g. the CLI run by an operator: owner authority there, but a
 * personal token is still bounded by its subject's role ceiling.
 */
export interface SystemActor {
  kind: 'system';
  organizationId: string;
}

/** Whoever asks for a token change: a signed-in user, a token, or the system (CLI). */
export type TokenActor = Principal | SystemActor;

/** Where the request came from, for the audit entry; absent for the CLI. */
export interface TokenCallOptions {
  request?: Pick<RequestInfo, 'ip' | 'userAgent'> | null;
}

export interface TokenPage {
  data: TToken[];
  nextCursor: string | null;
}

/** The calling token as `tokens.self` shows it (§3 whoami). */
export interface SelfToken extends TToken {
  /** Token scopes ∩ the subject's current role ceiling (service tokens: token scopes), implied reads listed. */
  effectiveScopes: Scope[];
  /** The limits this token's requests are held to: the lower of the organisation's and its own. */
  rateLimits: RateLimits;
  /** The live counters after this request, per window. */
  rateLimit: Record<RateLimitWindowName, RateLimitWindow>;
}

/** What an actor may do with tokens, worked out once per call. */
interface Authority {
  organizationId: string;
  /** The person behind the actor (session user, personal token subject); null for the system and service tokens. */
  userId: string | null;
  tokenId: string | null;
  /** The person's role, checked against policy.tokenCreateRoles; null when no person acts. */
  personRole: Role | null;
  /** Admin/owner authority: tokens of other members, on-behalf tokens, service tokens. */
  managesOthers: boolean;
  /** The scopes this actor may hand out: its role ceiling, and for a token also only what the token holds. */
  grantable: ReadonlySet<Scope>;
  audit: AuditActor;
}

const ALL_SCOPES: ReadonlySet<Scope> = new Set(roleCeiling('owner'));

function authorityOf(actor: TokenActor): Authority {
  if (actor.kind === 'system') {
    return {
      organizationId: actor.organizationId,
      userId: null,
      tokenId: null,
      personRole: null,
      managesOthers: true,
      grantable: ALL_SCOPES,
      audit: SYSTEM_ACTOR,
    };
  }
  if (actor.organizationId === null)
    throw new TollgateError('FORBIDDEN', 'You are not a member of any organisation.');
  const held = impliedScopes(actor.scopes);
  if (actor.kind === 'token' && actor.tokenType === 'service') {
    // A service token acts as the organisation, but can still only hand out what it holds itself.
    return {
      organizationId: actor.organizationId,
      userId: null,
      tokenId: actor.tokenId,
      personRole: null,
      managesOthers: true,
      grantable: held,
      audit: actorOf(actor),
    };
  }
  if (actor.role === null || actor.userId === null) {
    throw new TollgateError('FORBIDDEN', 'You are not a member of this organisation.');
  }
  const role = actor.role;
  return {
    organizationId: actor.organizationId,
    userId: actor.userId,
    tokenId: actor.kind === 'token' ? actor.tokenId : null,
    personRole: role,
    managesOthers: canManageOthersTokens(role),
    grantable: new Set([...held].filter((scope) => roleAllows(role, scope))),
    audit: actorOf(actor),
  };
}

/** Whether the actor may see and manage this token: admins/owners all, others their own personal tokens. */
function canManage(authority: Authority, row: TokenRow): boolean {
  return authority.managesOthers || (row.type === 'personal' && row.subjectUserId === authority.userId);
}

function notFound(): TollgateError {
  return new TollgateError('NOT_FOUND', 'No token with that id was found.');
}

function revokedConflict(): TollgateError {
  return new TollgateError('CONFLICT', 'This token has been revoked; a revoked token cannot be changed.');
}

/** Validates input with a core schema, so the CLI gets the same answers as the procedures. */
function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  throw new TollgateError('VALIDATION_FAILED', undefined, details);
}

/** IP allowlist entries in canonical form (`10.1.2.3/8` is `10.0.0.0/8`), each once. */
function canonicalIpAllowlist(entries: readonly string[]): string[] {
  const canonical = new Set<string>();
  const details: ErrorDetail[] = [];
  entries.forEach((entry, index) => {
    const parsed = parseIpRange(entry);
    if (parsed.ok) canonical.add(parsed.range.cidr);
    else details.push({ path: `ipAllowlist.${index}`, message: parsed.message });
  });
  if (details.length > 0) {
    throw new TollgateError(
      'VALIDATION_FAILED',
      'The IP allowlist has an entry that is not an address or range.',
      details,
    );
  }
  return [...canonical];
}

function listOf(scopes: readonly string[]): string {
  return scopes.join(', ');
}

/** Tells every API process to forget what it cached about the token. Call after the commit. */
function publishTokenChange(services: Services, tokenId: string): Promise<void> {
  return publishAfterCommit(services, { kind: 'token', tokenId });
}

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

  const refusalOf = (scope: Scope): string | null => {
    if (subjectRole !== null && !roleAllows(subjectRole, scope)) {
      return `${scope} is beyond the ${subjectRole} role of the token's subject`;
    }
    if (!authority.grantable.has(scope)) {
      return authority.tokenId !== null && authority.personRole === null
        ? `${scope} is not held by the token making this request`
        : authority.tokenId !== null
          ? `${scope} is beyond what the token making this request holds within your role`
          : `${scope} is beyond your ${authority.personRole ?? 'current'} role`;
    }
    return null;
  };
  let scopes: Scope[];
  if (requested === null) {
    scopes = normalizeScopes(DEFAULT_SCOPES.filter((scope) => refusalOf(scope) === null));
  } else {
    const refused = requested.flatMap((scope) => {
      const reason = refusalOf(scope);
      return reason === null ? [] : [{ scope, reason }];
    });
    if (refused.length > 0) {
      throw new TollgateError(
        'FORBIDDEN',
        `You cannot grant ${refused.length === 1 ? 'this scope' : 'these scopes'}: ${listOf(refused.map((r) => r.scope))}.`,
        refused.map((r) => ({ path: 'scopes', message: r.reason })),
      );
    }
    scopes = requested;
  }

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

function encodeCursor(row: { createdAtMicros: string; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAtMicros, row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAtMicros: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      /^-?\d{1,19}$/.test(value[0]) &&
      typeof value[1] === 'string' &&
      value[1].length <= 100
    ) {
      return { createdAtMicros: value[0], id: value[1] };
    }
  } catch {
    // Falls through to the error below.
  }
  throw new TollgateError('VALIDATION_FAILED', 'The cursor is not valid; start again from the first page.', [
    { path: 'cursor', message: 'Not a cursor returned by this list' },
  ]);
}

/**
 * A page of the organisation's tokens, newest first, with filters (§3). Admins, owners, service tokens and
 * the system see every token of the organisation; anyone else only their own personal tokens.
 */
export async function listTokens(
  services: Services,
  actor: TokenActor,
  rawInput: z.input<typeof ZListTokensInput> = {},
): Promise<TokenPage> {
  const input: TListTokensInput = parseInput(ZListTokensInput, rawInput);
  const authority = authorityOf(actor);
  const now = services.clock.now();
  const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor);

  let subjectUserId = input.subjectUserId;
  if (!authority.managesOthers) {
    // Only their own personal tokens: asking for anyone else's, or for service tokens, finds nothing.
    if ((subjectUserId !== undefined && subjectUserId !== authority.userId) || input.type === 'service') {
      return { data: [], nextCursor: null };
    }
    subjectUserId = authority.userId ?? undefined;
  }

  const rows = await listTokenPage(services.db, {
    organizationId: authority.organizationId,
    now,
    status: input.status,
    type: input.type,
    subjectUserId,
    scope: input.scope,
    q: input.q,
    limit: input.limit + 1,
    after,
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    data: page.map((row) => toTokenObject(row, now)),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null,
  };
}

/** One token the actor may see; NOT_FOUND for another organisation's or (for members) another member's. */
export async function getToken(
  services: Services,
  actor: TokenActor,
  input: { id: string },
): Promise<TToken> {
  const authority = authorityOf(actor);
  const row = await findTokenById(services.db, authority.organizationId, input.id);
  if (!row || !canManage(authority, row)) throw notFound();
  return toTokenObject(row, services.clock.now());
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
      const changes: TokenUpdate = {};
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      const consider = <K extends 'name' | 'description' | 'environment'>(
        field: K,
        value: TokenRow[K] | undefined,
      ) => {
        if (value === undefined || value === current[field]) return;
        changes[field] = value;
        before[field] = current[field];
        after[field] = value;
      };
      consider('name', input.name);
      consider('description', input.description === '' ? null : input.description);
      consider('environment', input.environment);
      if (ipAllowlist !== undefined && JSON.stringify(ipAllowlist) !== JSON.stringify(current.ipAllowlist)) {
        changes.ipAllowlist = ipAllowlist;
        before.ipAllowlist = current.ipAllowlist;
        after.ipAllowlist = ipAllowlist;
      }
      if (Object.keys(changes).length === 0) return { row: current, detail: null };
      const updated = await mustUpdate(tx, current, { ...changes, updatedAt: now });
      return { row: updated, detail: { fields: Object.keys(changes), before, after } };
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
      const beyond = current.scopes.filter((scope) => !authority.grantable.has(scope as Scope));
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

/** The instant last formatted for lastUsedAt, and its text: requests of the same millisecond share one. */
let lastUse = { ms: Number.NaN, iso: '' };

function isoStringOf(at: Date): string {
  const ms = at.getTime();
  // Date#toISOString costs ~0.4 µs; under load, many requests fall in the same millisecond.
  if (ms !== lastUse.ms) lastUse = { ms, iso: at.toISOString() };
  return lastUse.iso;
}

/**
 * The calling token as `tokens.self` shows it, answered from what verification loaded (no query): its token
 * object, active (it has just passed every check of §3), with lastUsedAt/lastUsedIp being this very request,
 * its effective scopes, the lower of the organisation's and the token's limits, and the live counters.
 */
export function getSelfToken(
  verification: Verification,
  use: { at: Date; ip: string; userAgent?: string | null },
): SelfToken {
  const { token, rateLimit } = verification;
  const windows = {} as Record<RateLimitWindowName, RateLimitWindow>;
  for (const window of rateLimit.windows) {
    windows[window.window] = {
      limit: window.limit,
      remaining: window.remaining,
      reset: Math.ceil(window.resetAtMs / 1000),
    };
  }
  return {
    ...token.tokenObject,
    status: 'active',
    lastUsedAt: isoStringOf(use.at),
    lastUsedIp: use.ip,
    lastUsedIps: withLatestAddress(token.tokenObject.lastUsedIps, use),
    effectiveScopes: token.effectiveScopes as Scope[],
    rateLimits: token.limits,
    rateLimit: windows,
  };
}

/** One window's counter as `tokens.self` reports it (reset in Unix seconds). */
export interface RateLimitWindow {
  limit: number;
  remaining: number;
  reset: number;
}
