import { router } from '../../trpc/init.ts';
import { createWebhookProcedure } from './create.ts';
import { deleteWebhookProcedure } from './delete.ts';
import { listWebhookDeliveriesProcedure } from './deliveries.ts';
import { listWebhookEventsProcedure } from './events.ts';
import { getWebhookProcedure } from './get.ts';
import { listWebhooksProcedure } from './list.ts';
import { rotateWebhookSecretProcedure } from './rotate-secret.ts';
import { updateWebhookProcedure } from './update.ts';

/** Webhooks (§8, §4 webhooks:*): subscriptions, the event catalogue and outbox, deliveries and attempts. */
export const webhooksRouter = router({
  list: listWebhooksProcedure,
  create: createWebhookProcedure,
  get: getWebhookProcedure,
  update: updateWebhookProcedure,
  delete: deleteWebhookProcedure,
  rotateSecret: rotateWebhookSecretProcedure,
  events: listWebhookEventsProcedure,
  deliveries: listWebhookDeliveriesProcedure,
});
