import {
  countOwners,
  deleteMembership,
  type Executor,
  findMembership,
  findUserByEmail,
  insertMembership,
  listMembersPage,
  lockOrganization,
  type MemberListRow,
  updateMembershipRole,
} from '@tollgate/db';
import { CURSOR_TIMESTAMPTZ, decodeCursor, encodeCursor, type Role, TollgateError } from '@tollgate/domain';
import { recordAudit } from '../audit/record.ts';
import type { Services } from '../services.ts';
import { enqueueWebhookEvent } from '../webhooks/outbox.ts';
import { type Actor, assertActsIn, auditActorOf, type CallOptions } from './organizations.ts';
import { publishAfterCommit } from './publish.ts';

export interface MemberObject {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

export interface MemberPage {
  data: MemberObject[];
  nextCursor: string | null;
}

function toMemberObject(row: MemberListRow): MemberObject {
  return {
    userId: row.userId,
    email: row.email,
    name: row.name,
    role: row.role,
    joinedAt: row.joinedAt.toISOString(),
  };
}

/** The position a members cursor names: nothing but a PostgreSQL timestamptz and a string reach the query. */
function memberCursorOf(cursor: string): { joinedAt: string; userId: string } {
  const [joinedAt, userId] = decodeCursor(cursor, [CURSOR_TIMESTAMPTZ, ANY]) as [string, string];
  return { joinedAt, userId };
}

const ANY = /^[\s\S]*$/;

/** The organisation's members, oldest membership first, a page at a time. */
export async function listMembers(
  services: Services,
  actor: Actor,
  input: { organizationId: string; limit?: number; cursor?: string | null },
): Promise<MemberPage> {
  assertActsIn(actor, input.organizationId);
  const limit = input.limit ?? 20;
  const rows = await listMembersPage(services.db, input.organizationId, {
    limit,
    after: input.cursor ? memberCursorOf(input.cursor) : null,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(toMemberObject),
    nextCursor: rows.length > limit && last ? encodeCursor([last.cursorJoinedAt, last.userId]) : null,
  };
}

/**
 * Whether the actor may hand out or take away the owner role: only an owner may (§2 leaves admins every scope,
 * but not the power to make or unmake owners). The system (CLI) may. A service token has no role: it may not.
 */
function canManageOwners(actor: Actor): boolean {
  if (actor.kind === 'system') return true;
  return actor.role === 'owner' && (actor.kind === 'session' || actor.tokenType === 'personal');
}

const ONLY_OWNERS = 'Only an owner can grant, change or remove the owner role.';
const LAST_OWNER = 'The organisation must keep at least one owner: make someone else an owner first.';

async function assertNotLastOwner(tx: Executor, organizationId: string): Promise<void> {
  if ((await countOwners(tx, organizationId)) <= 1) throw new TollgateError('CONFLICT', LAST_OWNER);
}

/**
 * Adds an existing user (by email) to the organisation. Unknown email → NOT_FOUND; already a member →
 * CONFLICT; the owner role only from an owner.
 */
export async function addMember(
  services: Services,
  actor: Actor,
  input: { organizationId: string; email: string; role: Role },
  options: CallOptions = {},
): Promise<MemberObject> {
  assertActsIn(actor, input.organizationId);
  if (input.role === 'owner' && !canManageOwners(actor)) throw new TollgateError('FORBIDDEN', ONLY_OWNERS);
  const user = await findUserByEmail(services.db, input.email);
  if (!user) throw new TollgateError('NOT_FOUND', 'There is no user with this email address.');
  const member = await services.db.transaction().execute(async (tx: Executor) => {
    if (!(await lockOrganization(tx, input.organizationId))) throw new TollgateError('NOT_FOUND');
    if (await findMembership(tx, input.organizationId, user.id)) {
      throw new TollgateError('CONFLICT', 'This user is already a member of the organisation.');
    }
    await insertMembership(tx, { organizationId: input.organizationId, userId: user.id, role: input.role });
    await recordAudit(tx, {
      organizationId: input.organizationId,
      actor: auditActorOf(actor),
      action: 'member.added',
      target: { type: 'user', id: user.id },
      request: options.request ?? null,
      detail: { role: input.role },
    });
    const added = await findMembership(tx, input.organizationId, user.id);
    if (added) {
      await enqueueWebhookEvent(tx, {
        organizationId: input.organizationId,
        type: 'member.added',
        payload: { member: { ...toMemberObject(added) } },
        at: services.clock.now(),
      });
    }
    return added;
  });
  if (!member) throw new TollgateError('INTERNAL');
  await publishAfterCommit(services, {
    kind: 'member',
    organizationId: input.organizationId,
    userId: user.id,
  });
  return toMemberObject(member);
}

/**
 * Changes a member's role. Granting or taking away the owner role needs an owner; the last owner cannot be
 * demoted (CONFLICT). The member's personal tokens narrow to the new role's ceiling at once.
 */
export async function changeMemberRole(
  services: Services,
  actor: Actor,
  input: { organizationId: string; userId: string; role: Role },
  options: CallOptions = {},
): Promise<MemberObject> {
  assertActsIn(actor, input.organizationId);
  const result = await services.db.transaction().execute(async (tx: Executor) => {
    if (!(await lockOrganization(tx, input.organizationId))) throw new TollgateError('NOT_FOUND');
    const current = await findMembership(tx, input.organizationId, input.userId);
    if (!current) throw new TollgateError('NOT_FOUND', 'This user is not a member of the organisation.');
    if (current.role === input.role) return { member: current, changed: false };
    if ((current.role === 'owner' || input.role === 'owner') && !canManageOwners(actor)) {
      throw new TollgateError('FORBIDDEN', ONLY_OWNERS);
    }
    if (current.role === 'owner') await assertNotLastOwner(tx, input.organizationId);
    await updateMembershipRole(tx, input.organizationId, input.userId, input.role);
    await recordAudit(tx, {
      organizationId: input.organizationId,
      actor: auditActorOf(actor),
      action: 'member.role_changed',
      target: { type: 'user', id: input.userId },
      request: options.request ?? null,
      detail: { from: current.role, to: input.role },
    });
    const member = { ...current, role: input.role };
    await enqueueWebhookEvent(tx, {
      organizationId: input.organizationId,
      type: 'member.role_changed',
      payload: { member: { ...toMemberObject(member) }, previousRole: current.role },
      at: services.clock.now(),
    });
    return { member, changed: true };
  });
  if (result.changed) {
    await publishAfterCommit(services, {
      kind: 'member',
      organizationId: input.organizationId,
      userId: input.userId,
    });
  }
  return toMemberObject(result.member);
}

/**
 * Removes a member. Removing an owner needs an owner; the last owner cannot be removed (CONFLICT). The
 * member's personal tokens stop working at once, and their sessions stop acting in the organisation.
 */
export async function removeMember(
  services: Services,
  actor: Actor,
  input: { organizationId: string; userId: string },
  options: CallOptions = {},
): Promise<MemberObject> {
  assertActsIn(actor, input.organizationId);
  const removed = await services.db.transaction().execute(async (tx: Executor) => {
    if (!(await lockOrganization(tx, input.organizationId))) throw new TollgateError('NOT_FOUND');
    const current = await findMembership(tx, input.organizationId, input.userId);
    if (!current) throw new TollgateError('NOT_FOUND', 'This user is not a member of the organisation.');
    if (current.role === 'owner') {
      if (!canManageOwners(actor)) throw new TollgateError('FORBIDDEN', ONLY_OWNERS);
      await assertNotLastOwner(tx, input.organizationId);
    }
    await deleteMembership(tx, input.organizationId, input.userId);
    await recordAudit(tx, {
      organizationId: input.organizationId,
      actor: auditActorOf(actor),
      action: 'member.removed',
      target: { type: 'user', id: input.userId },
      request: options.request ?? null,
      detail: { role: current.role },
    });
    await enqueueWebhookEvent(tx, {
      organizationId: input.organizationId,
      type: 'member.removed',
      payload: { member: { ...toMemberObject(current) } },
      at: services.clock.now(),
    });
    return current;
  });
  await publishAfterCommit(services, {
    kind: 'member',
    organizationId: input.organizationId,
    userId: input.userId,
  });
  return toMemberObject(removed);
}
