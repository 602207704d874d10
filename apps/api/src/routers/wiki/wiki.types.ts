import type { ProcedureMeta } from '../../trpc/init.ts';

export const WIKI_TAG = 'Wiki';

export const deleteWikiPageMeta = {
  scope: 'wiki:write',
  rest: {
    method: 'DELETE',
    path: '/wiki/pages/{slug}',
    summary: 'Delete a wiki page',
    tags: [WIKI_TAG],
    successStatus: 204,
  },
} satisfies ProcedureMeta;

export const getWikiPageMeta = {
  scope: 'wiki:read',
  rest: {
    method: 'GET',
    path: '/wiki/pages/{slug}',
    summary: 'Get a wiki page with its body',
    tags: [WIKI_TAG],
  },
} satisfies ProcedureMeta;

export const listWikiPagesMeta = {
  scope: 'wiki:read',
  rest: {
    method: 'GET',
    path: '/wiki/pages',
    summary: 'List wiki pages in slug order (without their bodies)',
    tags: [WIKI_TAG],
  },
} satisfies ProcedureMeta;

export const putWikiPageMeta = {
  scope: 'wiki:write',
  rest: {
    method: 'PUT',
    path: '/wiki/pages/{slug}',
    summary: 'Create a wiki page, or replace its title and body',
    tags: [WIKI_TAG],
  },
} satisfies ProcedureMeta;
