import { router } from '../../trpc/init.ts';
import { getReviewProcedure } from './get.ts';
import { listReviewsProcedure } from './list.ts';
import { reviewStatsProcedure } from './stats.ts';
import { triggerReviewProcedure } from './trigger.ts';
import { updateReviewProcedure } from './update.ts';

/** Reviews (§4 reviews:*): triggering debits credits; the review engine moves them along their statuses. */
export const reviewsRouter = router({
  list: listReviewsProcedure,
  stats: reviewStatsProcedure,
  trigger: triggerReviewProcedure,
  get: getReviewProcedure,
  update: updateReviewProcedure,
});
