import { z } from 'zod';

export const ZLogoutOutputSchema = z.object({ signedOut: z.literal(true) });
export type TLogoutOutput = z.infer<typeof ZLogoutOutputSchema>;
