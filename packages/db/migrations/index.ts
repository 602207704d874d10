import type { Migration } from 'kysely/migration';
import * as createIdentity from './2026_11_23_000100_create_identity.ts';
import * as createTokens from './2026_11_23_000200_create_tokens.ts';
import * as createAuditLogs from './2026_11_23_000300_create_audit_logs.ts';
import * as createProduct from './2026_11_23_000400_create_product.ts';
import * as createWebhooks from './2026_11_23_000500_create_webhooks.ts';
import * as createRateLimits from './2026_11_23_000600_create_rate_limits.ts';
import * as createServerSecrets from './2026_11_23_000700_create_server_secrets.ts';
import * as addAuditRequestId from './2026_11_24_000100_add_audit_request_id.ts';
import * as addTokenRevokedReason from './2026_12_03_000100_add_token_revoked_reason.ts';
import * as createTokenSecrets from './2026_12_03_000200_create_token_secrets.ts';
import * as addTokenLastUsedIps from './2026_12_03_000300_add_token_last_used_ips.ts';
import * as addWebhookPreviousSecret from './2026_12_03_120000_add_webhook_previous_secret.ts';
import * as addTokenExpiryNoticeDays from './2026_12_03_120100_add_token_expiry_notice_days.ts';
import * as createLeakReports from './2026_12_03_120200_create_leak_reports.ts';

/**
 * Every migration, by name. A static record rather than a directory scan, so that it survives any bundler.
 * Add new migrations at the end; names sort by time (`YYYY_MM_DD_HHmmss_<verb>_<object>`).
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '2026_11_23_000100_create_identity': createIdentity,
  '2026_11_23_000200_create_tokens': createTokens,
  '2026_11_23_000300_create_audit_logs': createAuditLogs,
  '2026_11_23_000400_create_product': createProduct,
  '2026_11_23_000500_create_webhooks': createWebhooks,
  '2026_11_23_000600_create_rate_limits': createRateLimits,
  '2026_11_23_000700_create_server_secrets': createServerSecrets,
  '2026_11_24_000100_add_audit_request_id': addAuditRequestId,
  '2026_12_03_000100_add_token_revoked_reason': addTokenRevokedReason,
  '2026_12_03_000200_create_token_secrets': createTokenSecrets,
  '2026_12_03_000300_add_token_last_used_ips': addTokenLastUsedIps,
  '2026_12_03_120000_add_webhook_previous_secret': addWebhookPreviousSecret,
  '2026_12_03_120100_add_token_expiry_notice_days': addTokenExpiryNoticeDays,
  '2026_12_03_120200_create_leak_reports': createLeakReports,
};
