import type { z } from 'zod';
import { ZUpdateOrganizationInput } from '../../core/organizations.ts';
import type { ProcedureMeta } from '../../trpc/init.ts';

export const organizationStatsMeta = {
  scope: 'organization:read',
  rest: {
    method: 'GET',
    path: '/organization/stats',
    summary: 'Counts of repositories, reviews, members and active tokens; credit balance; API requests',
    tags: ['Organization'],
  },
} satisfies ProcedureMeta;

/** A new name and/or any subset of policy fields (§5); fields left out keep their value. */
export const ZUpdateOrganizationInputSchema = ZUpdateOrganizationInput;

export type TUpdateOrganizationInput = z.infer<typeof ZUpdateOrganizationInputSchema>;

export const getOrganizationMeta = {
  scope: 'organization:read',
  rest: {
    method: 'GET',
    path: '/organization',
    summary: 'Get the organisation, its token policy and its rate limits',
    tags: ['Organization'],
  },
} satisfies ProcedureMeta;

export const updateOrganizationMeta = {
  scope: 'organization:write',
  rest: {
    method: 'PATCH',
    path: '/organization',
    summary: 'Rename the organisation or change its token policy',
    tags: ['Organization'],
  },
} satisfies ProcedureMeta;
