/**
 * Development script until the `tollgate migrate` command exists:
 *   pnpm exec tsx src/migrate-cli.ts [up|down|status]
 * Uses DATABASE_URL when set, the embedded database otherwise; exits 1 on failure.
 */
import { createDatabase } from './client.ts';
import { migrateDown, migrateToLatest, migrationStatus } from './migrate.ts';

const COMMANDS = ['up', 'down', 'status'] as const;
type Command = (typeof COMMANDS)[number];

async function main(command: Command): Promise<void> {
  const handle = await createDatabase({ databaseUrl: process.env.DATABASE_URL });
  try {
    if (command === 'up') {
      const applied = await migrateToLatest(handle.db);
      if (applied.length === 0) console.log('already up to date');
    } else if (command === 'down') {
      const reverted = await migrateDown(handle.db);
      if (reverted === undefined) console.log('nothing to revert');
    } else {
      for (const { name, executedAt } of await migrationStatus(handle.db)) {
        console.log(`${executedAt ? executedAt.toISOString() : 'pending                 '}  ${name}`);
      }
    }
  } finally {
    await handle.close();
  }
}

const command = process.argv[2] ?? 'up';
if (!(COMMANDS as readonly string[]).includes(command)) {
  console.error(`Unknown command "${command}". Usage: migrate-cli [up|down|status]`);
  process.exitCode = 1;
} else {
  main(command as Command).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
