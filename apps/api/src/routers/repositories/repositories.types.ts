import type { ProcedureMeta } from '../../trpc/init.ts';

export const REPOSITORIES_TAG = 'Repositories';

export const createRepositoryMeta = {
  scope: 'repositories:write',
  rest: {
    method: 'POST',
    path: '/repositories',
    summary: 'Add a repository (names are unique within the organisation)',
    tags: [REPOSITORIES_TAG],
    successStatus: 201,
  },
} satisfies ProcedureMeta;

export const deleteRepositoryMeta = {
  scope: 'repositories:write',
  rest: {
    method: 'DELETE',
    path: '/repositories/{id}',
    summary: 'Remove a repository and its reviews (the credit ledger keeps its entries)',
    tags: [REPOSITORIES_TAG],
    successStatus: 204,
  },
} satisfies ProcedureMeta;

export const getRepositoryMeta = {
  scope: 'repositories:read',
  rest: {
    method: 'GET',
    path: '/repositories/{id}',
    summary: 'Get a repository with its review settings',
    tags: [REPOSITORIES_TAG],
  },
} satisfies ProcedureMeta;

export const listRepositoriesMeta = {
  scope: 'repositories:read',
  rest: {
    method: 'GET',
    path: '/repositories',
    summary: 'List repositories in name order',
    tags: [REPOSITORIES_TAG],
  },
} satisfies ProcedureMeta;

export const updateRepositoryMeta = {
  scope: 'repositories:write',
  rest: {
    method: 'PATCH',
    path: '/repositories/{id}',
    summary: 'Rename a repository or change its URL, default branch or review settings',
    tags: [REPOSITORIES_TAG],
  },
} satisfies ProcedureMeta;
