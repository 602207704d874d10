import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf } from '../src/routers/tokens/test-helpers.ts';
import { createTestHarness, type TestHarness } from './helpers/harness.ts';

let harness: TestHarness;

beforeAll(async () => {
  harness = await createTestHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('concurrent token changes', () => {
  it('50 concurrent creates, then two concurrent revokes of each, leave consistent state', async () => {
    const org = await harness.seedOrganization();
    const admin = harness.callerWithToken(
      (
        await harness.issueToken({
          organizationId: org.id,
          subjectUserId: org.users.admin.id,
          scopes: ['tokens:write'],
        })
      ).token,
    );

    const created = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        admin.tokens.create({
          name: `parallel ${i}`,
          type: i % 2 === 0 ? 'service' : 'personal',
          scopes: [],
        }),
      ),
    );
    expect(new Set(created.map((t) => t.id)).size).toBe(50);
    expect(new Set(created.map((t) => t.token)).size).toBe(50);

    // Every token revoked twice at the same time: exactly one revoke of each wins, the other is a CONFLICT
    // (never a 500 from a race).
    const outcomes = await Promise.all(
      created.flatMap((token) => [
        codeOf(admin.tokens.revoke({ id: token.id })),
        codeOf(admin.tokens.revoke({ id: token.id })),
      ]),
    );
    expect(outcomes.filter((code) => code === 'OK')).toHaveLength(50);
    expect(outcomes.filter((code) => code === 'CONFLICT')).toHaveLength(50);

    const ids = created.map((t) => t.id);
    const rows = await harness.database.db.selectFrom('tokens').selectAll().where('id', 'in', ids).execute();
    expect(rows).toHaveLength(50);
    expect(rows.every((row) => row.revokedAt !== null)).toBe(true);

    const audit = await harness.database.db
      .selectFrom('auditLogs')
      .select(['action', 'targetId'])
      .where('targetId', 'in', ids)
      .execute();
    const count = (action: string) => audit.filter((entry) => entry.action === action).length;
    expect(count('token.created')).toBe(50);
    expect(count('token.revoked')).toBe(50);
    expect(new Set(audit.filter((e) => e.action === 'token.revoked').map((e) => e.targetId)).size).toBe(50);

    for (const token of created.slice(0, 5)) {
      expect(await codeOf(harness.callerWithToken(token.token).tokens.self())).toBe('TOKEN_REVOKED');
    }
  });
});
