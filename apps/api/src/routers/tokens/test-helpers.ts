import { type Role, roleCeiling, type Scope } from '@tollgate/domain';
import { TRPCError } from '@trpc/server';
import type { SeededOrganization, TestHarness } from '../../../test/helpers/harness.ts';
import { toTollgateError } from '../../trpc/errors.ts';

/**
 * The §7 code a call ends with ('OK' when it succeeds): what the REST facade would put in `code` and the
 * tRPC error formatter in `data.appCode`.
 */
export async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCError) return toTollgateError(error).code;
    throw error;
  }
}

/** The TollgateError a call fails with, for assertions on its message and details. */
export async function failureOf(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCError) return toTollgateError(error);
    throw error;
  }
  throw new Error('expected the call to fail');
}

/**
 * A caller acting as one of the seeded people: a personal token holding that person's whole role ceiling,
 * so what it may do is exactly what the role may do (the same checks a signed-in session gets).
 */
export async function callerAs(
  harness: TestHarness,
  organization: SeededOrganization,
  role: Role,
  scopes: readonly Scope[] = roleCeiling(role),
) {
  const { token } = await harness.issueToken({
    organizationId: organization.id,
    subjectUserId: organization.users[role].id,
    scopes,
  });
  return harness.callerWithToken(token);
}
