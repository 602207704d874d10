import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestHarness,
  type SeededOrganization,
  type TestHarness,
} from '../../../test/helpers/harness.ts';
import { callerAs, codeOf, failureOf } from '../tokens/test-helpers.ts';

let harness: TestHarness;
let org: SeededOrganization;
let other: SeededOrganization;
let admin: Awaited<ReturnType<typeof callerAs>>;
let viewer: Awaited<ReturnType<typeof callerAs>>;
let outsider: Awaited<ReturnType<typeof callerAs>>;

beforeAll(async () => {
  harness = await createTestHarness();
  org = await harness.seedOrganization();
  other = await harness.seedOrganization();
  admin = await callerAs(harness, org, 'admin');
  viewer = await callerAs(harness, org, 'viewer');
  outsider = await callerAs(harness, other, 'owner');
});
afterAll(async () => {
  await harness?.close();
});

let counter = 0;
function uniqueName(label = 'repo'): string {
  counter += 1;
  return `acme/${label}-${counter}`;
}

async function auditOf(targetId: string) {
  return harness.services.db
    .selectFrom('auditLogs')
    .selectAll()
    .where('targetId', '=', targetId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

describe('repositories.create', () => {
  it('adds a repository with defaults and writes repository.created', async () => {
    const name = uniqueName('web');
    const created = await admin.repositories.create({ name, url: 'https://github.com/acme/web' });
    expect(created).toEqual({
      id: expect.stringMatching(/^rep_/),
      name,
      url: 'https://github.com/acme/web',
      defaultBranch: 'main',
      reviewSettings: { autoReview: true, minSeverity: 'info', ignorePaths: [] },
      createdAt: harness.clock.now().toISOString(),
      updatedAt: harness.clock.now().toISOString(),
    });
    await expect(viewer.repositories.get({ id: created.id })).resolves.toEqual(created);
    const audit = await auditOf(created.id);
    expect(audit.map((entry) => [entry.organizationId, entry.action, entry.actorUserId])).toEqual([
      [org.id, 'repository.created', org.users.admin.id],
    ]);
    expect(audit[0]?.detail).toMatchObject({ name, url: 'https://github.com/acme/web' });
  });

  it('keeps given review settings and default branch', async () => {
    const created = await admin.repositories.create({
      name: uniqueName(),
      defaultBranch: 'develop',
      reviewSettings: { autoReview: false, minSeverity: 'warning', ignorePaths: ['dist/**'] },
    });
    expect(created).toMatchObject({
      url: null,
      defaultBranch: 'develop',
      reviewSettings: { autoReview: false, minSeverity: 'warning', ignorePaths: ['dist/**'] },
    });
  });

  it.each([
    ['an empty name', { name: '  ' }, 'name'],
    ['a name with spaces', { name: 'my repo' }, 'name'],
    ['a name over 100 characters', { name: 'a'.repeat(101) }, 'name'],
    ['an ftp URL', { url: 'ftp://example.com/repo' }, 'url'],
    ['a URL that is not one', { url: 'github.com/acme' }, 'url'],
    ['a branch with a space', { defaultBranch: 'my branch' }, 'defaultBranch'],
    ['an unknown review setting', { reviewSettings: { autoMerge: true } }, 'reviewSettings'],
    ['an unknown severity', { reviewSettings: { minSeverity: 'fatal' } }, 'reviewSettings.minSeverity'],
  ])('refuses %s with VALIDATION_FAILED naming the field', async (_label, patch, path) => {
    const failure = await failureOf(
      // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
      admin.repositories.create({ name: uniqueName(), ...patch } as any),
    );
    expect(failure.code).toBe('VALIDATION_FAILED');
    expect(failure.details?.map((detail) => detail.path)).toContain(path);
  });

  it('refuses a name the organisation already uses with CONFLICT, while another organisation may use it', async () => {
    const name = uniqueName('taken');
    await admin.repositories.create({ name });
    const failure = await failureOf(admin.repositories.create({ name }));
    expect(failure.code).toBe('CONFLICT');
    expect(failure.message).toContain(name);
    await expect(outsider.repositories.create({ name })).resolves.toMatchObject({ name });
  });

  it('is refused to a viewer (repositories:read only)', async () => {
    expect(await codeOf(viewer.repositories.create({ name: uniqueName() }))).toBe('INSUFFICIENT_SCOPE');
  });
});

describe('repositories.list', () => {
  it('pages through every repository once, in name order', async () => {
    const fresh = await harness.seedOrganization();
    const owner = await callerAs(harness, fresh, 'owner');
    const names = ['delta', 'alpha', 'echo', 'charlie', 'bravo'];
    for (const name of names) await owner.repositories.create({ name });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await owner.repositories.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.data.map((repository) => repository.name));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...names].sort());
    const all = await owner.repositories.list();
    expect(all).toMatchObject({ nextCursor: null });
    expect(all.data).toHaveLength(5);
  });

  it.each([
    ['a forged cursor', { cursor: 'bm90LWEtY3Vyc29y' }],
    ['limit 0', { limit: 0 }],
    ['limit 101', { limit: 101 }],
  ])('refuses %s with VALIDATION_FAILED', async (_label, input) => {
    expect(await codeOf(viewer.repositories.list(input))).toBe('VALIDATION_FAILED');
  });

  it('shows only the caller’s organisation', async () => {
    const names = (await outsider.repositories.list({ limit: 100 })).data.map(
      (repository) => repository.name,
    );
    const ours = (await viewer.repositories.list({ limit: 100 })).data.map((repository) => repository.id);
    const theirs = (await outsider.repositories.list({ limit: 100 })).data.map((repository) => repository.id);
    expect(names.length).toBeGreaterThan(0);
    expect(ours.filter((id) => theirs.includes(id))).toEqual([]);
  });
});

describe('repositories.update', () => {
  it('changes the fields given, merges review settings and records before and after', async () => {
    const created = await admin.repositories.create({
      name: uniqueName('old'),
      url: 'https://example.com/a',
      reviewSettings: { autoReview: true, minSeverity: 'warning', ignorePaths: ['vendor/**'] },
    });
    harness.clock.advance(1_000);
    const newName = uniqueName('new');
    const updated = await admin.repositories.update({
      id: created.id,
      name: newName,
      url: null,
      reviewSettings: { autoReview: false },
    });
    expect(updated).toEqual({
      ...created,
      name: newName,
      url: null,
      reviewSettings: { autoReview: false, minSeverity: 'warning', ignorePaths: ['vendor/**'] },
      updatedAt: harness.clock.now().toISOString(),
    });
    const audit = await auditOf(created.id);
    expect(audit.map((entry) => entry.action)).toEqual(['repository.created', 'repository.updated']);
    expect(audit[1]?.detail).toMatchObject({
      fields: ['name', 'url', 'reviewSettings'],
      before: { name: created.name, url: 'https://example.com/a' },
      after: { name: newName, url: null },
    });
  });

  it('writes nothing when nothing changes', async () => {
    const created = await admin.repositories.create({ name: uniqueName() });
    await expect(
      admin.repositories.update({ id: created.id, name: created.name, reviewSettings: { autoReview: true } }),
    ).resolves.toEqual(created);
    expect((await auditOf(created.id)).map((entry) => entry.action)).toEqual(['repository.created']);
  });

  it('refuses a rename to a taken name with CONFLICT and leaves the repository as it was', async () => {
    const first = await admin.repositories.create({ name: uniqueName() });
    const second = await admin.repositories.create({ name: uniqueName() });
    expect(await codeOf(admin.repositories.update({ id: second.id, name: first.name }))).toBe('CONFLICT');
    await expect(admin.repositories.get({ id: second.id })).resolves.toEqual(second);
  });
});

describe('repositories.delete', () => {
  it('removes the repository with its reviews and writes repository.deleted', async () => {
    const created = await admin.repositories.create({ name: uniqueName('gone') });
    await harness.services.db
      .updateTable('organizations')
      .set({ creditBalance: 1 })
      .where('id', '=', org.id)
      .execute();
    const review = await admin.reviews.trigger({ repositoryId: created.id, title: 'Before deletion' });
    await expect(admin.repositories.delete({ id: created.id })).resolves.toBeUndefined();
    expect(await codeOf(admin.repositories.get({ id: created.id }))).toBe('NOT_FOUND');
    expect(await codeOf(admin.reviews.get({ id: review.id }))).toBe('NOT_FOUND');
    expect(await codeOf(admin.repositories.delete({ id: created.id }))).toBe('NOT_FOUND');
    const audit = await auditOf(created.id);
    expect(audit.map((entry) => entry.action)).toEqual(['repository.created', 'repository.deleted']);
    expect(audit[1]?.detail).toEqual({ name: created.name, reviewsDeleted: 1 });
  });
});

describe('another organisation’s repository does not exist for the caller', () => {
  let theirs: string;
  beforeAll(async () => {
    theirs = (await outsider.repositories.create({ name: uniqueName('private') })).id;
  });

  it.each([
    ['get', () => admin.repositories.get({ id: theirs })],
    ['update', () => admin.repositories.update({ id: theirs, name: uniqueName() })],
    ['delete', () => admin.repositories.delete({ id: theirs })],
    ['an id that does not exist at all', () => admin.repositories.get({ id: 'rep_0000000000000000000000' })],
  ])('%s → NOT_FOUND', async (_label, call) => {
    expect(await codeOf(call())).toBe('NOT_FOUND');
  });

  it('and stays untouched', async () => {
    await expect(outsider.repositories.get({ id: theirs })).resolves.toMatchObject({ id: theirs });
    expect((await auditOf(theirs)).map((entry) => entry.action)).toEqual(['repository.created']);
  });
});
