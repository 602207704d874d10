import {
  type CreateDatabaseOptions,
  createDatabase,
  type DatabaseHandle,
  hasAnyOrganization,
  isDatabaseUnavailableError,
  migrateToLatest,
} from '@tollgate/db';
import type { Logger } from 'pino';
import { EnvError, loadEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { DEMO_OWNER_EMAIL, DEMO_PASSWORD, demoLoginWorks, seedDemo } from './seed.ts';
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

  const databaseOptions: CreateDatabaseOptions = {
    databaseUrl: env.DATABASE_URL,
    dataDir: env.TOLLGATE_DATA_DIR,
    connectionTimeoutMillis: env.DATABASE_CONNECT_TIMEOUT_MS,
    onError: (error) => {
      if (isDatabaseUnavailableError(error)) log.warn({ err: error }, 'database connection lost');
      else log.error({ err: error }, 'database error outside any request');
    },
  };
  const database = await openAndMigrate(databaseOptions, env.DATABASE_STATEMENT_TIMEOUT_MS, log);

  const services = createServices({ env, database, log });
  await services.start();
  // Demo data with its published password only on the embedded database, which is for trying Tollgate out
  // on one machine; PostgreSQL is a real deployment, whose first owner is created with the CLI (§17).
  const embedded = database.engine === 'pglite';
  const demo = embedded ? await seedDemo(services) : undefined;
  const app = await buildServer({ services });

  let closing = false;
  // While the database hangs, each step of shutdown waits up to a database timeout (requests in flight, the
  // last usage flush, UNLISTEN), and they add up; a delivery in flight waits for its receiver too. Past this
  // the process exits anyway: what could not be written is logged, deliveries are retried once their lease ends.
  const shutdownTimeoutMs = env.DATABASE_CONNECT_TIMEOUT_MS + env.DATABASE_STATEMENT_TIMEOUT_MS + 2_000;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error({ timeoutMs: shutdownTimeoutMs }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, shutdownTimeoutMs).unref();
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
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const address = await app.listen({ port: env.PORT, host: env.HOST });
  const url = address.replace('127.0.0.1', 'localhost');
  const engine = embedded ? `embedded PGlite at ${env.TOLLGATE_DATA_DIR}` : 'PostgreSQL';
  // Printed plainly (not as log lines) because a person reads them to find the app and sign in.
  const lines = [
    `Tollgate is running at ${url} (database: ${engine})`,
    `  web app     ${url}/`,
    `  playground  ${url}/playground`,
    `  API docs    ${url}/docs (OpenAPI document: ${url}/api/v1/openapi.json)`,
  ];
  if (demo?.created) {
    lines.push(
      `Demo organisation "${demo.organizationSlug}" created. Sign in as ${demo.email} / ${demo.password}`,
    );
  } else if (embedded && (await demoLoginWorks(services))) {
    lines.push(`Demo login: ${DEMO_OWNER_EMAIL} / ${DEMO_PASSWORD}`);
  } else if (!embedded && !(await hasAnyOrganization(services.db))) {
    lines.push(
      'No organisation yet. Create the first one and its owner with the CLI (same DATABASE_URL), e.g.:',
      `  printf '%s\\n' "$OWNER_PASSWORD" | pnpm tollgate org create --name "Acme" --slug acme --owner-email you@example.com --owner-password-stdin`,
    );
  }
  console.log(lines.join('\n'));
  if (!embedded && (await demoLoginWorks(services))) {
    log.warn(
      { email: DEMO_OWNER_EMAIL },
      'the demo owner still has the published demo password: change it or remove the user',
    );
  }
}

/**
 * Opens the database and migrates it. On PostgreSQL the migrations run on a connection of their own without
 * the statement timeout (building an index may take longer than any request should); the server's handle
 * then has it.
 */
async function openAndMigrate(
  options: CreateDatabaseOptions,
  statementTimeoutMillis: number,
  log: Logger,
): Promise<DatabaseHandle> {
  const migrate = (handle: DatabaseHandle) => migrateToLatest(handle.db, { log: (line) => log.info(line) });
  if (!options.databaseUrl) {
    const embedded = await createDatabase(options);
    await migrate(embedded);
    return embedded;
  }
  const migrating = await createDatabase({ ...options, poolSize: 1 });
  try {
    await migrate(migrating);
  } finally {
    await migrating.close();
  }
  return createDatabase({ ...options, statementTimeoutMillis });
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Tollgate failed to start: ${message}`);
  process.exit(1);
});
