/** The statuses of a review: queued when triggered, then running, then one of the final three. */
export const REVIEW_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
