import type { ProcedureMeta } from '../../trpc/init.ts';

export const WEBHOOKS_TAG = 'Webhooks';

export const createWebhookMeta = {
  scope: 'webhooks:write',
  rest: {
    method: 'POST',
    path: '/webhooks',
    summary: 'Create a webhook subscription; the response shows its signing secret, once',
    tags: [WEBHOOKS_TAG],
    successStatus: 201,
  },
} satisfies ProcedureMeta;

export const deleteWebhookMeta = {
  scope: 'webhooks:write',
  rest: {
    method: 'DELETE',
    path: '/webhooks/{id}',
    summary: 'Delete a webhook subscription with its pending deliveries and their attempts',
    tags: [WEBHOOKS_TAG],
    successStatus: 204,
  },
} satisfies ProcedureMeta;

export const listWebhookDeliveriesMeta = {
  scope: 'webhooks:read',
  rest: {
    method: 'GET',
    path: '/webhooks/{id}/deliveries',
    summary: 'A subscription’s deliveries with their attempts, newest first',
    tags: [WEBHOOKS_TAG],
  },
} satisfies ProcedureMeta;

export const listWebhookEventsMeta = {
  scope: 'webhooks:read',
  rest: {
    method: 'GET',
    path: '/webhooks/events',
    summary: 'The event catalogue, and the organisation’s recent events newest first',
    tags: [WEBHOOKS_TAG],
  },
} satisfies ProcedureMeta;

export const getWebhookMeta = {
  scope: 'webhooks:read',
  rest: {
    method: 'GET',
    path: '/webhooks/{id}',
    summary: 'Get a webhook subscription (never its signing secret)',
    tags: [WEBHOOKS_TAG],
  },
} satisfies ProcedureMeta;

export const listWebhooksMeta = {
  scope: 'webhooks:read',
  rest: {
    method: 'GET',
    path: '/webhooks',
    summary: 'List webhook subscriptions, newest first (never their signing secrets)',
    tags: [WEBHOOKS_TAG],
  },
} satisfies ProcedureMeta;

export const updateWebhookMeta = {
  scope: 'webhooks:write',
  rest: {
    method: 'PATCH',
    path: '/webhooks/{id}',
    summary: 'Change a webhook subscription’s URL, events or active flag',
    tags: [WEBHOOKS_TAG],
  },
} satisfies ProcedureMeta;

export const rotateWebhookSecretMeta = {
  scope: 'webhooks:write',
  rest: {
    method: 'POST',
    path: '/webhooks/{id}/rotate-secret',
    summary:
      'Roll the signing secret: deliveries are signed with both the new and the previous secret for 24 hours',
    tags: [WEBHOOKS_TAG],
    successStatus: 200,
  },
} satisfies ProcedureMeta;
