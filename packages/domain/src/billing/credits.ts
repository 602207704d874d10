/**
 * Credits (§4 billing, §7 reviews/trigger): the single source of truth for what things cost. The API, the
 * OpenAPI document and the docs read these numbers from here.
 */

/** Credits debited from the organisation's balance for each triggered review. */
export const REVIEW_CREDIT_COST = 1;

/** The smallest and largest number of credits one purchase may add. */
export const MIN_CREDIT_PURCHASE = 1;
export const MAX_CREDIT_PURCHASE = 100_000;
