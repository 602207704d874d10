export {
  type CreateDatabaseOptions,
  createDatabase,
  type DatabaseEngine,
  type DatabaseHandle,
  DEFAULT_DATA_DIR,
} from './client.ts';
export { DatabaseLockedError } from './embedded-lock.ts';
export {
  type MigrateOptions,
  MigrationError,
  type MigrationStatus,
  migrateDown,
  migrateToLatest,
  migrationStatus,
} from './migrate.ts';
export type { ListenOptions, NotificationListener } from './notifications.ts';
export * from './repositories/billing.ts';
export * from './repositories/identity.ts';
export * from './repositories/index.ts';
export * from './repositories/product.ts';
export * from './repositories/seed.ts';
export * from './repositories/sessions.ts';
export * from './repositories/token-admin.ts';
export * from './repositories/token-families.ts';
export * from './repositories/verification.ts';
export * from './repositories/webhooks.ts';
export * from './repositories/wiki.ts';
export * from './tables/index.ts';
export { isDatabaseUnavailableError } from './unavailable.ts';
