/** What several commands' runners share; imported inside `run` (see command.ts), as it loads the database. */
import { findOrganizationBySlug, findUserByEmail, type OrganizationRow } from '@tollgate/db';
import { TollgateError } from '@tollgate/domain';
import type { z } from 'zod';
import type { SystemActor } from '../core/organizations.ts';
import type { Services } from '../services.ts';
import type { CliIo, PasswordSource } from './command.ts';

/** The operator running the CLI: Tollgate itself, recorded as `system` in the audit log. */
export const SYSTEM: SystemActor = { kind: 'system' };

export async function organizationBySlug(services: Services, slug: string): Promise<OrganizationRow> {
  const organization = await findOrganizationBySlug(services.db, slug);
  if (!organization)
    throw new TollgateError('NOT_FOUND', `There is no organisation with the slug "${slug}".`);
  return organization;
}

/** The password itself: as typed, or the first line of standard input (without its line break). */
export async function passwordOf(source: PasswordSource, io: CliIo, option: string): Promise<string> {
  if ('value' in source) return source.value;
  const input = io.stdin ? await io.stdin() : '';
  const password = input.split(/\r?\n/)[0] ?? '';
  if (password === '') {
    throw new TollgateError('VALIDATION_FAILED', `--${option}-stdin: standard input holds no password.`);
  }
  return password;
}

export async function userIdByEmail(services: Services, email: string): Promise<string> {
  const user = await findUserByEmail(services.db, email);
  if (!user) throw new TollgateError('NOT_FOUND', `There is no user with the email ${email}.`);
  return user.id;
}

/** The first problem a zod schema of core finds, as core would report it. */
export function check(schema: z.ZodType, value: unknown, field: string): void {
  const result = schema.safeParse(value);
  if (!result.success) {
    const message = result.error.issues[0]?.message ?? 'Invalid value';
    throw new TollgateError('VALIDATION_FAILED', `${field}: ${message}`, [{ path: field, message }]);
  }
}
