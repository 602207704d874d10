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
export * from './repositories/index.ts';
export * from './tables/index.ts';
export { isDatabaseUnavailableError } from './unavailable.ts';
