import type { Kysely } from 'kysely';
import { type MigrationResultSet, Migrator } from 'kysely/migration';
import { migrations } from '../migrations/index.ts';
import type { Database } from './tables/index.ts';

export interface MigrateOptions {
  /** Receives one line per migration applied or reverted (default: console.log). */
  log?: (message: string) => void;
}

export interface MigrationStatus {
  name: string;
  /** null while the migration is pending. */
  executedAt: Date | null;
}

/** A migration (or the migration run itself) failed; nothing of that run was applied. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';

  constructor(
    /** The failing migration, when one migration failed. */
    readonly migrationName: string | undefined,
    options: { cause: unknown },
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(
      migrationName ? `Migration ${migrationName} failed: ${reason}` : `Migrating failed: ${reason}`,
      options,
    );
  }
}

function createMigrator(db: Kysely<Database>): Migrator {
  // Migrations speak snake_case SQL: run them without the CamelCasePlugin.
  return new Migrator({
    db: db.withoutPlugins(),
    provider: { getMigrations: async () => ({ ...migrations }) },
  });
}

/** Applies every pending migration, in one transaction; resolves with the names applied (none when up to date). */
export async function migrateToLatest(db: Kysely<Database>, options: MigrateOptions = {}): Promise<string[]> {
  return report(await createMigrator(db).migrateToLatest(), options);
}

/** Reverts the latest applied migration; resolves with its name, or undefined when none is applied. */
export async function migrateDown(
  db: Kysely<Database>,
  options: MigrateOptions = {},
): Promise<string | undefined> {
  const [reverted] = report(await createMigrator(db).migrateDown(), options);
  return reverted;
}

/** Every known migration in order, with when it was applied. */
export async function migrationStatus(db: Kysely<Database>): Promise<MigrationStatus[]> {
  const infos = await createMigrator(db).getMigrations();
  return infos.map((info) => ({ name: info.name, executedAt: info.executedAt ?? null }));
}

function report(
  { error, results = [] }: MigrationResultSet,
  { log = console.log }: MigrateOptions,
): string[] {
  const done: string[] = [];
  for (const result of results) {
    if (result.status !== 'Success') continue;
    done.push(result.migrationName);
    log(`${result.direction === 'Up' ? 'applied' : 'reverted'} ${result.migrationName}`);
  }
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error');
    throw new MigrationError(failed?.migrationName, { cause: error });
  }
  return done;
}
