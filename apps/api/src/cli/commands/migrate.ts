import { defineCommand } from '../command.ts';

const DIRECTIONS = ['up', 'down', 'status'] as const;
type Direction = (typeof DIRECTIONS)[number];

export const migrateCommand = defineCommand({
  name: 'migrate',
  synopsis: '[up|down|status]',
  summary: 'Apply (up, the default) or revert (down) one step of the database migrations, or list them.',
  options: {},
  details: [
    'up      apply every pending migration',
    'down    revert the latest applied migration',
    'status  list every migration and when it was applied',
  ],
  maxPositionals: 1,
  // Migrating must not depend on the schema: no services, no automatic migration first.
  ownsSchema: true,
  parse(args): Direction {
    const direction = args.positionals[0] ?? 'up';
    if (!(DIRECTIONS as readonly string[]).includes(direction)) {
      args.fail(`Unknown migrate direction "${direction}"`);
    }
    return direction as Direction;
  },
  async run({ database, io }, direction) {
    const { migrateDown, migrateToLatest, migrationStatus } = await import('@tollgate/db');
    switch (direction) {
      case 'up': {
        const applied = await migrateToLatest(database.db, { log: io.stdout });
        if (applied.length === 0) io.stdout('The database schema is already up to date.');
        return;
      }
      case 'down': {
        const reverted = await migrateDown(database.db, { log: io.stdout });
        if (reverted === undefined) io.stdout('No migration is applied: nothing to revert.');
        return;
      }
      case 'status': {
        for (const { name, executedAt } of await migrationStatus(database.db)) {
          io.stdout(
            `${executedAt ? `applied ${executedAt.toISOString()}` : 'pending                         '}  ${name}`,
          );
        }
        return;
      }
    }
  },
});
