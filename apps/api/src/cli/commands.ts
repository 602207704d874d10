import {
  findMembership,
  findOrganizationBySlug,
  findTokenOrganizationId,
  findUserByEmail,
  type OrganizationRow,
} from '@tollgate/db';
import { TollgateError, type TToken } from '@tollgate/domain';
import type { z } from 'zod';
import { verifyPassword } from '../auth/password.ts';
import { addMember } from '../core/members.ts';
import {
  createOrganization,
  createOrganizationWithNewOwner,
  createUser,
  type OrganizationObject,
  type SystemActor,
  ZOrganizationName,
  ZOrganizationSlug,
} from '../core/organizations.ts';
import { createToken, listTokens, revokeToken } from '../core/tokens.ts';
import { seedDemo } from '../seed.ts';
import type { Services } from '../services.ts';
import type { ParsedCommand, PasswordSource } from './args.ts';
import { formatCreatedToken, formatTokenList } from './format.ts';
import type { CliIo } from './run.ts';
import { runTokenScan } from './token-scan.ts';

/** The operator running the CLI: Tollgate itself, recorded as `system` in the audit log. */
const SYSTEM: SystemActor = { kind: 'system' };

async function organizationBySlug(services: Services, slug: string): Promise<OrganizationRow> {
  const organization = await findOrganizationBySlug(services.db, slug);
  if (!organization)
    throw new TollgateError('NOT_FOUND', `There is no organisation with the slug "${slug}".`);
  return organization;
}

/** The password itself: as typed, or the first line of standard input (without its line break). */
async function passwordOf(source: PasswordSource, io: CliIo, option: string): Promise<string> {
  if ('value' in source) return source.value;
  const input = io.stdin ? await io.stdin() : '';
  const password = input.split(/\r?\n/)[0] ?? '';
  if (password === '') {
    throw new TollgateError('VALIDATION_FAILED', `--${option}-stdin: standard input holds no password.`);
  }
  return password;
}

async function userIdByEmail(services: Services, email: string): Promise<string> {
  const user = await findUserByEmail(services.db, email);
  if (!user) throw new TollgateError('NOT_FOUND', `There is no user with the email ${email}.`);
  return user.id;
}

/** The first problem a zod schema of core finds, as core would report it. */
function check(schema: z.ZodType, value: unknown, field: string): void {
  const result = schema.safeParse(value);
  if (!result.success) {
    const message = result.error.issues[0]?.message ?? 'Invalid value';
    throw new TollgateError('VALIDATION_FAILED', `${field}: ${message}`, [{ path: field, message }]);
  }
}

/**
 * Runs a parsed command with the same core functions the tRPC procedures call, acting as the system.
 * Results go to stdout: one JSON value with --json, lines for a person otherwise. Failures throw.
 */
export async function runCommand(services: Services, command: ParsedCommand, io: CliIo): Promise<void> {
  const print = (json: boolean, value: unknown, human: () => string) =>
    io.stdout(json ? JSON.stringify(value, null, 2) : human());

  switch (command.command) {
    case 'migrate':
      // Handled before services exist (see run.ts): migrating must not depend on the schema.
      return;

    case 'seed': {
      const result = await seedDemo(services);
      print(command.json, result, () =>
        result.created
          ? `Demo organisation "${result.organizationSlug}" created. Sign in as ${result.email} / ${result.password}`
          : 'The database already has an organisation: nothing was seeded.',
      );
      return;
    }

    case 'org create': {
      // A bad name or a taken slug is refused before a password is read or checked.
      check(ZOrganizationName, command.name, 'name');
      check(ZOrganizationSlug, command.slug, 'slug');
      if (await findOrganizationBySlug(services.db, command.slug)) {
        throw new TollgateError('CONFLICT', `The slug "${command.slug}" is already taken.`);
      }
      const ownerPassword = await passwordOf(command.ownerPassword, io, 'owner-password');
      // An existing user becomes the owner only when the password given is theirs: otherwise the operator
      // would believe the owner signs in with a password that was silently ignored.
      const existing = await findUserByEmail(services.db, command.ownerEmail);
      let organization: OrganizationObject;
      let owner: { id: string; email: string; name: string; created: boolean };
      const fields = { name: command.name, slug: command.slug, tier: command.tier };
      if (existing) {
        if (!(await verifyPassword(ownerPassword, existing.passwordHash))) {
          throw new TollgateError(
            'CONFLICT',
            `A user with the email ${existing.email} already exists and --owner-password is not their password.`,
          );
        }
        owner = { id: existing.id, email: existing.email, name: existing.name, created: false };
        organization = await createOrganization(services, SYSTEM, { ...fields, ownerUserId: existing.id });
      } else {
        // The new owner and the organisation in one transaction: a failure leaves neither behind.
        const created = await createOrganizationWithNewOwner(services, SYSTEM, {
          ...fields,
          owner: {
            email: command.ownerEmail,
            name: command.ownerEmail.split('@')[0] || command.ownerEmail,
            password: ownerPassword,
          },
        });
        organization = created.organization;
        owner = { ...created.owner, created: true };
      }
      print(
        command.json,
        { organization, owner },
        () =>
          `Created organisation "${organization.name}" (${organization.slug}, ${organization.id}, tier ${organization.tier}) ` +
          `owned by ${owner.email}${owner.created ? ' (new user)' : ''}.`,
      );
      return;
    }

    case 'user create': {
      const user = await createUser(services, {
        email: command.email,
        name: command.name,
        password: await passwordOf(command.password, io, 'password'),
      });
      print(command.json, user, () => `Created user ${user.email} (${user.id}).`);
      return;
    }

    case 'member add': {
      const organization = await organizationBySlug(services, command.org);
      const member = await addMember(services, SYSTEM, {
        organizationId: organization.id,
        email: command.email,
        role: command.role,
      });
      print(command.json, member, () => `Added ${member.email} to ${organization.slug} as ${member.role}.`);
      return;
    }

    case 'token create': {
      const organization = await organizationBySlug(services, command.org);
      let subjectUserId: string | undefined;
      if (command.user !== undefined) {
        subjectUserId = await userIdByEmail(services, command.user);
        if (!(await findMembership(services.db, organization.id, subjectUserId))) {
          throw new TollgateError('NOT_FOUND', `${command.user} is not a member of ${organization.slug}.`);
        }
      }
      const token = await createToken(
        services,
        { kind: 'system', organizationId: organization.id },
        {
          name: command.name,
          type: subjectUserId === undefined ? 'service' : 'personal',
          ...(subjectUserId !== undefined ? { subjectUserId } : {}),
          ...(command.scopes !== undefined ? { scopes: command.scopes } : {}),
          ...(command.expiresInDays !== undefined ? { expiresInDays: command.expiresInDays } : {}),
          ipAllowlist: command.ipAllowlist,
        },
      );
      print(command.json, token, () => formatCreatedToken(token, organization.slug, command.user ?? null));
      return;
    }

    case 'token list': {
      const organization = await organizationBySlug(services, command.org);
      const actor = { kind: 'system', organizationId: organization.id } as const;
      const tokens: TToken[] = [];
      let cursor: string | undefined;
      do {
        const page = await listTokens(services, actor, { limit: 100, ...(cursor ? { cursor } : {}) });
        tokens.push(...page.data);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      print(command.json, tokens, () => formatTokenList(tokens, organization.slug));
      return;
    }

    case 'token revoke': {
      const organizationId = await findTokenOrganizationId(services.db, command.id);
      if (organizationId === undefined)
        throw new TollgateError('NOT_FOUND', `There is no token with the id ${command.id}.`);
      const token = await revokeToken(services, { kind: 'system', organizationId }, { id: command.id });
      print(command.json, token, () => `Revoked token "${token.name}" (${token.id}, ${token.prefix}…).`);
      return;
    }

    case 'token scan':
      return runTokenScan(services, command, io);
  }
}
