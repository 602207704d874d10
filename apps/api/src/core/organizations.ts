import {
  countTokensBeyondPolicy,
  type Executor,
  findOrganizationBySlug,
  findUserByEmail,
  findUserById,
  insertMembership,
  insertOrganization,
  insertUser,
  lockOrganization,
  type OrganizationRow,
  updateOrganization as updateOrganizationRow,
} from '@tollgate/db';
import {
  DEFAULT_POLICY,
  type ErrorDetail,
  newId,
  type RateLimits,
  resolvePolicy,
  type Tier,
  type TOrganizationPolicy,
  TollgateError,
  tierLimits,
  ZOrganizationPolicyPatch,
  ZTier,
} from '@tollgate/domain';
import { z } from 'zod';
import { recordAudit, SYSTEM_ACTOR } from '../audit/record.ts';
import { hashPassword, ZPassword } from '../auth/password.ts';
import type { Services } from '../services.ts';
import { type Actor, auditActorOf, type CallOptions } from './actor.ts';
import { diffFields } from './field-diff.ts';
import { publishAfterCommit } from './publish.ts';

export type { Actor, CallOptions, SystemActor } from './actor.ts';
export { auditActorOf } from './actor.ts';

/** A principal acts only in its own organisation; anything else does not exist for it. */
export function assertActsIn(actor: Actor, organizationId: string): void {
  if (actor.kind !== 'system' && actor.organizationId !== organizationId)
    throw new TollgateError('NOT_FOUND');
}

/** Input schemas shared by the procedures and the CLI, so both refuse the same things in the same words. */
export const ZEmail = z.email({ error: 'Enter a valid email address' }).max(320);
export const ZPersonName = z.string().trim().min(1, { error: 'Name is required' }).max(100);
export const ZOrganizationName = z.string().trim().min(1, { error: 'Name is required' }).max(100);
export const ZOrganizationSlug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,48}$/, {
  error: 'Slug is 2–49 lowercase letters, digits and "-", starting with a letter or digit',
});

export interface UserObject {
  id: string;
  email: string;
  name: string;
  createdAt: string;
}

export interface OrganizationObject {
  id: string;
  name: string;
  slug: string;
  tier: Tier;
  /** The policy in force, every field resolved (stored values or defaults). */
  policy: TOrganizationPolicy;
  rateLimits: RateLimits;
  createdAt: string;
}

export function toOrganizationObject(row: OrganizationRow): OrganizationObject {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    tier: row.tier,
    policy: resolvePolicy(row.policy),
    rateLimits: tierLimits(row.tier, {
      perMinute: row.customRateLimitPerMinute,
      perHour: row.customRateLimitPerHour,
    }),
    createdAt: row.createdAt.toISOString(),
  };
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details: ErrorDetail[] = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  throw new TollgateError('VALIDATION_FAILED', details[0]?.message, details);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

const ZNewUser = z.object({ email: ZEmail, name: ZPersonName, password: ZPassword });
const ZNewOrganization = z.object({
  name: ZOrganizationName,
  slug: ZOrganizationSlug,
  tier: ZTier.default('free'),
});

const emailTaken = () => new TollgateError('CONFLICT', 'A user with this email address already exists.');
const slugTaken = (slug: string) => new TollgateError('CONFLICT', `The slug "${slug}" is already taken.`);

/** A new user checked (valid, email free) and with its password hashed: slow work done before any transaction. */
async function prepareUser(
  services: Services,
  input: { email: string; name: string; password: string },
): Promise<{ email: string; name: string; passwordHash: string }> {
  const { email, name, password } = parseOrThrow(ZNewUser, input);
  if (await findUserByEmail(services.db, email)) throw emailTaken();
  return { email, name, passwordHash: await hashPassword(password) };
}

async function insertUserAudited(
  tx: Executor,
  user: { email: string; name: string; passwordHash: string },
): Promise<UserObject> {
  const row = await insertUser(tx, { id: newId('user'), ...user });
  await recordAudit(tx, {
    organizationId: null,
    actor: SYSTEM_ACTOR,
    action: 'user.created',
    target: { type: 'user', id: row.id },
  });
  return { id: row.id, email: row.email, name: row.name, createdAt: row.createdAt.toISOString() };
}

/** A new organisation checked (valid, slug free). */
async function prepareOrganization(
  services: Services,
  input: { name: string; slug: string; tier?: Tier | undefined },
): Promise<{ name: string; slug: string; tier: Tier }> {
  const organization = parseOrThrow(ZNewOrganization, input);
  if (await findOrganizationBySlug(services.db, organization.slug)) throw slugTaken(organization.slug);
  return organization;
}

async function insertOrganizationAudited(
  tx: Executor,
  actor: Actor,
  organization: { name: string; slug: string; tier: Tier },
  ownerUserId: string,
  options: CallOptions,
): Promise<OrganizationRow> {
  const row = await insertOrganization(tx, {
    id: newId('organization'),
    ...organization,
    customRateLimitPerMinute: null,
    customRateLimitPerHour: null,
    policy: { ...DEFAULT_POLICY },
  });
  await insertMembership(tx, { organizationId: row.id, userId: ownerUserId, role: 'owner' });
  await recordAudit(tx, {
    organizationId: row.id,
    actor: auditActorOf(actor),
    action: 'organization.created',
    target: { type: 'organization', id: row.id },
    request: options.request ?? null,
    detail: { ...organization, ownerUserId },
  });
  return row;
}

/** A unique violation of a race lost after the checks, as the CONFLICT the checks would have given. */
function conflictOf(error: unknown, slug: string | null): unknown {
  if (!isUniqueViolation(error)) return error;
  // The constraint's name (users_email_lower_key, organizations_slug_key), or the detail naming its key.
  const { constraint, detail } = error as { constraint?: unknown; detail?: unknown };
  const onEmail = `${String(constraint ?? '')} ${String(detail ?? '')}`.includes('email');
  return slug !== null && !onEmail ? slugTaken(slug) : emailTaken();
}

/** Creates a user (CLI, seed). Emails are unique case-insensitively: a taken one is CONFLICT. */
export async function createUser(
  services: Services,
  input: { email: string; name: string; password: string },
): Promise<UserObject> {
  const user = await prepareUser(services, input);
  try {
    return await services.db.transaction().execute((tx: Executor) => insertUserAudited(tx, user));
  } catch (error) {
    throw conflictOf(error, null);
  }
}

/** Creates an organisation with its first owner (CLI, seed). A taken slug is CONFLICT; an unknown owner NOT_FOUND. */
export async function createOrganization(
  services: Services,
  actor: Actor,
  input: { name: string; slug: string; tier?: Tier; ownerUserId: string },
  options: CallOptions = {},
): Promise<OrganizationObject> {
  const organization = await prepareOrganization(services, input);
  if (!(await findUserById(services.db, input.ownerUserId)))
    throw new TollgateError('NOT_FOUND', 'The owner user was not found.');
  try {
    const row = await services.db
      .transaction()
      .execute((tx: Executor) =>
        insertOrganizationAudited(tx, actor, organization, input.ownerUserId, options),
      );
    return toOrganizationObject(row);
  } catch (error) {
    throw conflictOf(error, organization.slug);
  }
}

/**
 * Creates an organisation and its owner, a new user, in one transaction (CLI): whatever fails, neither is
 * left behind. Both are checked before the password is hashed; a taken slug or email is CONFLICT.
 */
export async function createOrganizationWithNewOwner(
  services: Services,
  actor: Actor,
  input: {
    name: string;
    slug: string;
    tier?: Tier | undefined;
    owner: { email: string; name: string; password: string };
  },
): Promise<{ organization: OrganizationObject; owner: UserObject }> {
  const organization = await prepareOrganization(services, input);
  const user = await prepareUser(services, input.owner);
  try {
    return await services.db.transaction().execute(async (tx: Executor) => {
      const owner = await insertUserAudited(tx, user);
      const row = await insertOrganizationAudited(tx, actor, organization, owner.id, {});
      return { organization: toOrganizationObject(row), owner };
    });
  } catch (error) {
    throw conflictOf(error, organization.slug);
  }
}

export async function getOrganization(
  services: Services,
  actor: Actor,
  input: { organizationId: string },
): Promise<OrganizationObject> {
  assertActsIn(actor, input.organizationId);
  const row = await services.organizations.get(input.organizationId);
  if (!row) throw new TollgateError('NOT_FOUND');
  return toOrganizationObject(row);
}

export const ZUpdateOrganizationInput = z
  .object({
    name: ZOrganizationName.optional(),
    policy: ZOrganizationPolicyPatch.optional(),
  })
  .refine((input) => input.name !== undefined || input.policy !== undefined, {
    error: 'Nothing to update: give a name or policy fields',
  });
export type TUpdateOrganizationInput = z.infer<typeof ZUpdateOrganizationInput>;

export interface UpdatedOrganization extends OrganizationObject {
  /**
   * Live tokens (not revoked or expired) the policy now in force would not allow: no expiry while one is
   * required, or a lifetime beyond the maximum. A tightened policy does not shorten or end them (§5); they
   * are reported so that an administrator can rotate or revoke them.
   */
  tokensBeyondPolicy: number;
}

/** The fields an organisation update can change, flat: `name` and `policy.<field>`. */
function changeableFields(name: string, policy: TOrganizationPolicy): Record<string, unknown> {
  const fields: Record<string, unknown> = { name };
  for (const [key, value] of Object.entries(policy)) fields[`policy.${key}`] = value;
  return fields;
}

/**
 * Renames the organisation and/or changes fields of its policy (§5). Records `organization.updated` with each
 * changed field's old and new value, then tells every process to drop what it cached about the organisation.
 */
export async function updateOrganization(
  services: Services,
  actor: Actor,
  input: { organizationId: string } & TUpdateOrganizationInput,
  options: CallOptions = {},
): Promise<UpdatedOrganization> {
  assertActsIn(actor, input.organizationId);
  const { name, policy: patch } = parseOrThrow(ZUpdateOrganizationInput, input);
  const { row, changed } = await services.db.transaction().execute(async (tx: Executor) => {
    const current = await lockOrganization(tx, input.organizationId);
    if (!current) throw new TollgateError('NOT_FOUND');
    const before = resolvePolicy(current.policy);
    const after: TOrganizationPolicy = { ...before, ...definedFields(patch ?? {}) };
    const { detail } = diffFields(
      changeableFields(current.name, before),
      changeableFields(name ?? current.name, after),
    );
    if (detail === null) return { row: current, changed: false };
    const updated = await updateOrganizationRow(tx, current.id, {
      ...(name !== undefined ? { name } : {}),
      policy: after,
    });
    if (!updated) throw new TollgateError('NOT_FOUND');
    await recordAudit(tx, {
      organizationId: current.id,
      actor: auditActorOf(actor),
      action: 'organization.updated',
      target: { type: 'organization', id: current.id },
      request: options.request ?? null,
      detail: { ...detail },
    });
    return { row: updated, changed: true };
  });
  if (changed) await publishAfterCommit(services, { kind: 'organization', organizationId: row.id });
  const organization = toOrganizationObject(row);
  const tokensBeyondPolicy = await countTokensBeyondPolicy(services.db, row.id, {
    maxTokenLifetimeDays: organization.policy.maxTokenLifetimeDays,
    requireExpiry: organization.policy.requireExpiry,
    now: services.clock.now(),
  });
  return { ...organization, tokensBeyondPolicy };
}

function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
