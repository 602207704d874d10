import type { AuditLogsTable } from './audit-logs.ts';
import type { CreditLedgerTable } from './credit-ledger.ts';
import type { LeakReportsTable } from './leak-reports.ts';
import type { MembershipsTable } from './memberships.ts';
import type { OrganizationsTable } from './organizations.ts';
import type { RateLimitsTable } from './rate-limits.ts';
import type { RepositoriesTable } from './repositories.ts';
import type { ReviewsTable } from './reviews.ts';
import type { ServerSecretsTable } from './server-secrets.ts';
import type { SessionsTable } from './sessions.ts';
import type { TokenReuseReportsTable, TokenSecretsTable } from './token-secrets.ts';
import type { TokensTable, TokenUsageDailyTable } from './tokens.ts';
import type { UsersTable } from './users.ts';
import type {
  WebhookDeliveriesTable,
  WebhookDeliveryAttemptsTable,
  WebhookEventsTable,
  WebhookSubscriptionsTable,
} from './webhooks.ts';
import type { WikiPagesTable } from './wiki-pages.ts';

export type * from './audit-logs.ts';
export type * from './credit-ledger.ts';
export type { JsonArray, JsonObject, JsonPrimitive, JsonValue } from './json.ts';
export { jsonb } from './json.ts';
export type * from './leak-reports.ts';
export type * from './memberships.ts';
export type * from './organizations.ts';
export type * from './rate-limits.ts';
export type * from './repositories.ts';
export type * from './reviews.ts';
export type * from './server-secrets.ts';
export type * from './sessions.ts';
export type * from './token-secrets.ts';
export type * from './tokens.ts';
export type * from './users.ts';
export type * from './webhooks.ts';
export type * from './wiki-pages.ts';

/**
 * The schema as the application sees it: camelCase tables and columns, mapped to the snake_case names in the
 * migrations by CamelCasePlugin (e.g. `tokenUsageDaily.requestCount` is `token_usage_daily.request_count`).
 * One file per table (or aggregate: a token and its daily usage, a webhook subscription and its outbox).
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
  serverSecrets: ServerSecretsTable;
  leakReports: LeakReportsTable;
}
