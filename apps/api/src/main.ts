import { createDatabase, migrateToLatest } from '@tollgate/db';
import { EnvError, loadEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { seedDemo } from './seed.ts';
import { buildServer } from './server.ts';
import { createServices } from './services.ts';

async function main(): Promise<void> {
  let env: ReturnType<typeof loadEnv>;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(env.LOG_LEVEL);

  const database = await createDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.TOLLGATE_DATA_DIR });
  await migrateToLatest(database.db, { log: (line) => log.info(line) });

  const services = createServices({ env, database, log });
  await services.start();
  const demo = await seedDemo(services);
  const app = await buildServer({ services });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    try {
      await app.close();
      await services.stop();
      await database.close();
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  const address = await app.listen({ port: env.PORT, host: env.HOST });
  const url = address.replace('127.0.0.1', 'localhost');
  const engine = database.engine === 'pglite' ? `embedded PGlite at ${env.TOLLGATE_DATA_DIR}` : 'PostgreSQL';
  // Printed plainly (not as log lines) because a person reads them to find the app and sign in.
  console.log(`Tollgate is running at ${url} (database: ${engine})`);
  if (demo.created) {
    console.log(
      `Demo organisation "${demo.organizationSlug}" created. Sign in as ${demo.email} / ${demo.password}`,
    );
  } else {
    console.log(`Demo login (if you kept the demo organisation): ${demo.email} / ${demo.password}`);
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Tollgate failed to start: ${message}`);
  process.exit(1);
});
