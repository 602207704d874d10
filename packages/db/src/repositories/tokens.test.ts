import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOrganization, createToken } from '../test-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import { findTokenById } from './tokens.ts';

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

test("findTokenById never returns another organisation's token", async () => {
  const organization = await createOrganization(handle.db);
  const other = await createOrganization(handle.db);
  const token = await createToken(handle.db, organization.id);
  expect(await findTokenById(handle.db, organization.id, token.id)).toEqual(token);
  expect(await findTokenById(handle.db, other.id, token.id)).toBeUndefined();
});
