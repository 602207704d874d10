import type { ProcedureMeta } from '../../trpc/init.ts';
import { ZGetTokenResponseSchema } from './get.types.ts';
import { ZTokenIdInputSchema } from './shared.types.ts';

export const ZEndGraceRequestSchema = ZTokenIdInputSchema;
export const ZEndGraceResponseSchema = ZGetTokenResponseSchema;

/** The web app's "end grace now" on a token's page (tRPC only, like the rest of the web app's own calls). */
export const endGraceMeta = { scope: 'tokens:write' } satisfies ProcedureMeta;
