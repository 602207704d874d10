import { z } from 'zod';

/** A token id in a path (`/tokens/{id}`). Anything that is not a token of the caller's organisation is NOT_FOUND. */
export const ZTokenIdSchema = z.string().trim().min(1).max(100).describe('The token id (tok_…)');

export const ZTokenIdInputSchema = z.object({ id: ZTokenIdSchema });
export type TTokenIdInput = z.infer<typeof ZTokenIdInputSchema>;

export const TOKENS_TAG = 'Tokens';
