import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestHarness,
  type SeededOrganization,
  type TestHarness,
} from '../../../test/helpers/harness.ts';
import { callerAs, codeOf } from './test-helpers.ts';

let harness: TestHarness;
let org: SeededOrganization;
let member: Awaited<ReturnType<typeof callerAs>>;
let outsider: Awaited<ReturnType<typeof callerAs>>;

beforeAll(async () => {
  harness = await createTestHarness();
  org = await harness.seedOrganization();
  member = await callerAs(harness, org, 'member');
  outsider = await callerAs(harness, await harness.seedOrganization(), 'owner');
});
afterAll(async () => {
  await harness?.close();
});

const DAY_MS = 86_400_000;
const dayOf = (at: Date) => at.toISOString().slice(0, 10);

describe('tokens.usage', () => {
  it("counts the token's requests per UTC day, oldest first, days without requests as 0", async () => {
    const token = await member.tokens.create({ name: 'usage chart' });
    const sibling = await member.tokens.create({ name: 'another token' });
    const now = harness.services.clock.now();
    const yesterday = new Date(now.getTime() - DAY_MS);
    const record = (tokenId: string, at: Date, times: number) => {
      for (let i = 0; i < times; i++) harness.services.usage.record(tokenId, org.id, '203.0.113.7', at);
    };
    record(token.id, now, 3);
    record(token.id, yesterday, 2);
    record(sibling.id, now, 7);
    await harness.services.usage.flush();

    expect(await member.tokens.usage({ id: token.id, days: 3 })).toEqual({
      data: [
        { date: dayOf(new Date(now.getTime() - 2 * DAY_MS)), requests: 0 },
        { date: dayOf(yesterday), requests: 2 },
        { date: dayOf(now), requests: 3 },
      ],
      total: 5,
    });
    expect(await member.tokens.usage({ id: token.id, days: 1 })).toEqual({
      data: [{ date: dayOf(now), requests: 3 }],
      total: 3,
    });
  });

  it("is NOT_FOUND for another organisation's token", async () => {
    const token = await member.tokens.create({ name: 'private usage' });
    expect(await codeOf(outsider.tokens.usage({ id: token.id }))).toBe('NOT_FOUND');
  });
});
