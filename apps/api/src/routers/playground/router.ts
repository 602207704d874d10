import { router } from '../../trpc/init.ts';
import { playgroundSendProcedure } from './send.ts';

/** The web app's API playground: REST requests run server-side as one of the caller's tokens or a pasted one. */
export const playgroundRouter = router({ send: playgroundSendProcedure });
