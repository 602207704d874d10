import { z } from 'zod';

/**
 * The list shape every paged list shares (§3, §7): `limit` 1–100 (20 unless asked; coerced, as a REST query
 * string is text) and an opaque `cursor` in, `data` and `nextCursor` out.
 */
export const ZPageLimit = z.coerce.number().int().min(1).max(100).default(20);

/** The `nextCursor` of the previous page; absent for the first. */
export const ZPageCursor = z.string().min(1).max(500).optional();

export const ZNextCursor = z
  .string()
  .nullable()
  .describe('Pass as `cursor` for the next page; null on the last page');

/** A page of `item`s: the items and the cursor of the next page (null on the last). */
export function ZPage<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: ZNextCursor });
}

/** A page as a list function returns it, before output validation. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
