import type { AuditLogsTable } from './audit.ts';
import type { MembershipsTable, OrganizationsTable, SessionsTable, UsersTable } from './identity.ts';
import type { CreditLedgerTable, RepositoriesTable, ReviewsTable, WikiPagesTable } from './product.ts';
import type { RateLimitsTable } from './rate-limits.ts';
import type { TokenReuseReportsTable, TokenSecretsTable } from './token-secrets.ts';
import type { TokensTable, TokenUsageDailyTable } from './tokens.ts';
import type {
  WebhookDeliveriesTable,
  WebhookDeliveryAttemptsTable,
  WebhookEventsTable,
  WebhookSubscriptionsTable,
} from './webhooks.ts';

export type * from './audit.ts';
export type * from './identity.ts';
export type { JsonArray, JsonObject, JsonPrimitive, JsonValue } from './json.ts';
export { jsonb } from './json.ts';
export type * from './product.ts';
export type * from './rate-limits.ts';
export type * from './token-secrets.ts';
export type * from './tokens.ts';
export type * from './webhooks.ts';

/**
 * The schema as the application sees it: camelCase tables and columns, mapped to the snake_case names in the
 * migrations by CamelCasePlugin (e.g. `tokenUsageDaily.requestCount` is `token_usage_daily.request_count`).
 */
export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  tokens: TokensTable;
  tokenUsageDaily: TokenUsageDailyTable;
  tokenSecrets: TokenSecretsTable;
  tokenReuseReports: TokenReuseReportsTable;
  auditLogs: AuditLogsTable;
  repositories: RepositoriesTable;
  reviews: ReviewsTable;
  creditLedger: CreditLedgerTable;
  wikiPages: WikiPagesTable;
  webhookSubscriptions: WebhookSubscriptionsTable;
  webhookEvents: WebhookEventsTable;
  webhookDeliveries: WebhookDeliveriesTable;
  webhookDeliveryAttempts: WebhookDeliveryAttemptsTable;
  rateLimits: RateLimitsTable;
}
