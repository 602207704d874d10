import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { router } from '../trpc/init.ts';
import { auditRouter } from './audit/router.ts';
import { authRouter } from './auth/router.ts';
import { billingRouter } from './billing/router.ts';
import { credentialsRouter } from './credentials/router.ts';
import { membersRouter } from './members/router.ts';
import { organizationRouter } from './organization/router.ts';
import { playgroundRouter } from './playground/router.ts';
import { repositoriesRouter } from './repositories/router.ts';
import { reviewsRouter } from './reviews/router.ts';
import { tokensRouter } from './tokens/router.ts';
import { webhooksRouter } from './webhooks/router.ts';
import { wikiRouter } from './wiki/router.ts';

export const appRouter = router({
  auth: authRouter,
  organization: organizationRouter,
  members: membersRouter,
  tokens: tokensRouter,
  audit: auditRouter,
  repositories: repositoriesRouter,
  reviews: reviewsRouter,
  billing: billingRouter,
  wiki: wikiRouter,
  playground: playgroundRouter,
  webhooks: webhooksRouter,
  credentials: credentialsRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
