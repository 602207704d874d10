import { TollgateError, ZPlaygroundSendInputSchema, ZPlaygroundSendOutputSchema } from '@tollgate/domain';
import { sessionProcedure } from '../../trpc/procedures.ts';

/** The API playground's "Send" (rest/playground.ts), through the dispatcher the server hands to the context. */
export const playgroundSendProcedure = sessionProcedure
  .input(ZPlaygroundSendInputSchema)
  .output(ZPlaygroundSendOutputSchema)
  .mutation(({ ctx, input }) => {
    if (!ctx.playground)
      throw new TollgateError('INTERNAL', 'The API playground is not set up on this server.');
    return ctx.playground.send(ctx.services, ctx.principal, ctx.request, input);
  });
