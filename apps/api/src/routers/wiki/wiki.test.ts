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
let member: Awaited<ReturnType<typeof callerAs>>;
let viewer: Awaited<ReturnType<typeof callerAs>>;
let outsider: Awaited<ReturnType<typeof callerAs>>;

beforeAll(async () => {
  harness = await createTestHarness();
  org = await harness.seedOrganization();
  other = await harness.seedOrganization();
  member = await callerAs(harness, org, 'member');
  viewer = await callerAs(harness, org, 'viewer');
  outsider = await callerAs(harness, other, 'member');
});
afterAll(async () => {
  await harness?.close();
});

async function auditOf(organizationId: string, slug: string) {
  const rows = await harness.services.db
    .selectFrom('auditLogs')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('action', 'like', 'wiki.%')
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
  return rows.filter((row) => (row.detail as { slug?: string }).slug === slug);
}

describe('wiki.put (create or replace)', () => {
  it('creates a page, then replaces its title and body under the same id', async () => {
    const created = await member.wiki.put({
      slug: 'getting-started',
      title: 'Getting started',
      body: '# Hi',
    });
    const createdAt = harness.clock.now().toISOString();
    expect(created).toEqual({
      id: expect.stringMatching(/^wik_/),
      slug: 'getting-started',
      title: 'Getting started',
      body: '# Hi',
      updatedBy: expect.stringMatching(/^tok_/),
      createdAt,
      updatedAt: createdAt,
    });

    harness.clock.advance(60_000);
    const replaced = await member.wiki.put({
      slug: 'getting-started',
      title: 'Start here',
      body: 'New body',
    });
    expect(replaced).toEqual({
      ...created,
      title: 'Start here',
      body: 'New body',
      updatedAt: harness.clock.now().toISOString(),
    });
    await expect(viewer.wiki.get({ slug: 'getting-started' })).resolves.toEqual(replaced);

    const audit = await auditOf(org.id, 'getting-started');
    expect(audit.map((entry) => [entry.action, entry.actorUserId])).toEqual([
      ['wiki.page_updated', org.users.member.id],
      ['wiki.page_updated', org.users.member.id],
    ]);
    expect(audit.map((entry) => entry.detail)).toEqual([
      expect.objectContaining({ created: true, title: 'Getting started' }),
      expect.objectContaining({ created: false, title: 'Start here', previousTitle: 'Getting started' }),
    ]);
  });

  it('writes nothing when the page is put unchanged', async () => {
    const page = await member.wiki.put({ slug: 'unchanged', title: 'Same', body: 'Same' });
    harness.clock.advance(1_000);
    await expect(member.wiki.put({ slug: 'unchanged', title: 'Same', body: 'Same' })).resolves.toEqual(page);
    expect(await auditOf(org.id, 'unchanged')).toHaveLength(1);
  });

  it('lets two organisations use the same slug independently', async () => {
    await member.wiki.put({ slug: 'shared-slug', title: 'Ours', body: 'ours' });
    await outsider.wiki.put({ slug: 'shared-slug', title: 'Theirs', body: 'theirs' });
    await expect(viewer.wiki.get({ slug: 'shared-slug' })).resolves.toMatchObject({ title: 'Ours' });
    await expect(outsider.wiki.get({ slug: 'shared-slug' })).resolves.toMatchObject({ title: 'Theirs' });
  });

  it('keeps one page when the same new slug is put concurrently', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        member.wiki.put({ slug: 'raced', title: `Version ${index}`, body: `${index}` }),
      ),
    );
    expect(new Set(results.map((page) => page.id)).size).toBe(1);
    const audit = await auditOf(org.id, 'raced');
    expect(audit.filter((entry) => (entry.detail as { created: boolean }).created)).toHaveLength(1);
  });

  it.each([
    ['an uppercase slug', { slug: 'Getting-Started' }, 'slug'],
    ['a slug starting with "-"', { slug: '-start' }, 'slug'],
    ['a slug with a slash', { slug: 'a/b' }, 'slug'],
    ['a slug of 101 characters', { slug: 'a'.repeat(101) }, 'slug'],
    ['an empty slug', { slug: '' }, 'slug'],
    ['an empty title', { title: ' ' }, 'title'],
    ['a body over 100,000 characters', { body: 'x'.repeat(100_001) }, 'body'],
  ])('refuses %s with VALIDATION_FAILED naming the field', async (_label, patch, path) => {
    const failure = await failureOf(member.wiki.put({ slug: 'valid', title: 'Valid', body: '', ...patch }));
    expect(failure.code).toBe('VALIDATION_FAILED');
    expect(failure.details?.map((detail) => detail.path)).toEqual([path]);
  });

  it('accepts the longest slug and a one-character slug', async () => {
    await expect(member.wiki.put({ slug: 'a'.repeat(100), title: 'Long' })).resolves.toMatchObject({
      body: '',
    });
    await expect(member.wiki.put({ slug: '7', title: 'Short', body: 'b' })).resolves.toMatchObject({
      slug: '7',
    });
  });

  it('is refused to a viewer (wiki:read only)', async () => {
    expect(await codeOf(viewer.wiki.put({ slug: 'nope', title: 'No' }))).toBe('INSUFFICIENT_SCOPE');
  });
});

describe('wiki.list', () => {
  it('lists pages in slug order without bodies, page by page', async () => {
    const fresh = await harness.seedOrganization();
    const writer = await callerAs(harness, fresh, 'member');
    for (const slug of ['c-page', 'a-page', 'e-page', 'b-page', 'd-page']) {
      await writer.wiki.put({ slug, title: slug.toUpperCase(), body: 'secret body text' });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await writer.wiki.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      for (const entry of page.data) expect(entry).not.toHaveProperty('body');
      seen.push(...page.data.map((entry) => entry.slug));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['a-page', 'b-page', 'c-page', 'd-page', 'e-page']);
  });

  it.each([
    ['a forged cursor', { cursor: 'WyIuLi4iXQ' }],
    ['limit 0', { limit: 0 }],
  ])('refuses %s with VALIDATION_FAILED', async (_label, input) => {
    expect(await codeOf(viewer.wiki.list(input))).toBe('VALIDATION_FAILED');
  });
});

describe('wiki.delete', () => {
  it('deletes a page and writes wiki.page_deleted; a second delete is NOT_FOUND', async () => {
    await member.wiki.put({ slug: 'to-delete', title: 'Doomed', body: 'x' });
    await expect(member.wiki.delete({ slug: 'to-delete' })).resolves.toBeUndefined();
    expect(await codeOf(viewer.wiki.get({ slug: 'to-delete' }))).toBe('NOT_FOUND');
    expect(await codeOf(member.wiki.delete({ slug: 'to-delete' }))).toBe('NOT_FOUND');
    expect((await auditOf(org.id, 'to-delete')).map((entry) => entry.action)).toEqual([
      'wiki.page_updated',
      'wiki.page_deleted',
    ]);
  });

  it('cannot reach another organisation’s page', async () => {
    await outsider.wiki.put({ slug: 'their-page', title: 'Theirs', body: 'private' });
    expect(await codeOf(viewer.wiki.get({ slug: 'their-page' }))).toBe('NOT_FOUND');
    expect(await codeOf(member.wiki.delete({ slug: 'their-page' }))).toBe('NOT_FOUND');
    await expect(outsider.wiki.get({ slug: 'their-page' })).resolves.toMatchObject({ body: 'private' });
  });
});
