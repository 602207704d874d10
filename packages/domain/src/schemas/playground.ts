import { z } from 'zod';

export const PLAYGROUND_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const ZQueryValue = z.union([z.string().max(2000), z.array(z.string().max(2000)).max(100)]);

export const ZPlaygroundSendInputSchema = z
  .object({
    /** One of the caller's tokens (as tokens.get would show it): the request runs as that token. */
    tokenId: z.string().trim().min(1).max(100).optional(),
    /** A pasted token, sent as `Authorization: Bearer <token>` through the same in-process call. */
    token: z.string().trim().min(1).max(500).optional(),
    method: z.enum(PLAYGROUND_METHODS),
    /** The path below /api/v1 (a leading /api/v1 is accepted too), with path parameters filled in. */
    path: z.string().trim().min(1).max(2000).startsWith('/', { error: 'The path must start with "/"' }),
    query: z.record(z.string().max(200), ZQueryValue).default({}),
    /** The JSON body for POST, PUT and PATCH; ignored for GET and DELETE. */
    body: z.unknown().optional(),
  })
  .refine((input) => (input.tokenId === undefined) !== (input.token === undefined), {
    error: 'Choose one of your tokens or paste a token (one of tokenId and token).',
    path: ['tokenId'],
  });

export type TPlaygroundSendInput = z.infer<typeof ZPlaygroundSendInputSchema>;

export const ZPlaygroundSendOutputSchema = z.object({
  /** The HTTP status the REST facade would have answered with. */
  status: z.number().int(),
  /** Time spent serving the request in process (verification, procedure, database), in milliseconds. */
  durationMs: z.number(),
  /** Response headers, lower-case names, including the rate-limit headers when the request got that far. */
  headers: z.record(z.string(), z.string()),
  /** The JSON body (the §7 error body on failure); null for 204. */
  body: z.unknown(),
});

export type TPlaygroundSendOutput = z.infer<typeof ZPlaygroundSendOutputSchema>;
