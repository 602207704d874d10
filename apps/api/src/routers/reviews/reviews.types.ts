import { REVIEW_CREDIT_COST } from '@tollgate/domain';
import type { ProcedureMeta } from '../../trpc/init.ts';

export const REVIEWS_TAG = 'Reviews';

export const getReviewMeta = {
  scope: 'reviews:read',
  rest: {
    method: 'GET',
    path: '/reviews/{id}',
    summary: 'Get a review with its findings',
    tags: [REVIEWS_TAG],
  },
} satisfies ProcedureMeta;

export const listReviewsMeta = {
  scope: 'reviews:read',
  rest: {
    method: 'GET',
    path: '/reviews',
    summary: 'List reviews, newest first (filters: repositoryId, status)',
    tags: [REVIEWS_TAG],
  },
} satisfies ProcedureMeta;

export const reviewStatsMeta = {
  scope: 'reviews:read',
  rest: {
    method: 'GET',
    path: '/reviews/stats',
    summary: 'Review counts by status, average findings and credits spent',
    tags: [REVIEWS_TAG],
  },
} satisfies ProcedureMeta;

export const triggerReviewMeta = {
  scope: 'reviews:write',
  debitsCredits: true,
  rest: {
    method: 'POST',
    path: '/reviews/trigger',
    summary: `Queue a review; debits ${REVIEW_CREDIT_COST} credit (402 INSUFFICIENT_CREDITS when the balance is too low)`,
    tags: [REVIEWS_TAG],
    successStatus: 201,
  },
} satisfies ProcedureMeta;

export const updateReviewMeta = {
  scope: 'reviews:write',
  rest: {
    method: 'PATCH',
    path: '/reviews/{id}',
    summary: 'Move a review along its statuses and record its findings (the review engine)',
    tags: [REVIEWS_TAG],
  },
} satisfies ProcedureMeta;
