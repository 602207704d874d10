/**
 * Test databases: each createTestDatabase() call gets its own fresh, fully migrated database, on PostgreSQL
 * when DATABASE_URL is set and on in-memory PGlite otherwise.
 *
 * Both engines migrate once and copy the result: PostgreSQL through a template database
 * (`tollgate_tpl_<fingerprint>`), PGlite through a dump of its data directory cached in
 * node_modules/.cache/tollgate-db. The fingerprint covers the migrations' names and code, so a changed
 * migration builds a new template.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrations } from '../migrations/index.ts';
import { createDatabase, createPgliteHandle, type DatabaseHandle, openPglite } from './client.ts';
import { isProcessAlive } from './embedded-lock.ts';
import { migrateToLatest } from './migrate.ts';

export type TestDatabase = DatabaseHandle & {
  /** PostgreSQL only: the test database's URL, e.g. for a second process or handle on the same database. */
  url?: string;
};

/** A fresh, fully migrated database of its own; close() removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const databaseUrl = process.env.DATABASE_URL;
  return databaseUrl ? createPostgresTestDatabase(databaseUrl) : createPgliteTestDatabase();
}

const TEMPLATE_PREFIX = 'tollgate_tpl_';
const TEST_DATABASE_PREFIX = 'tollgate_t_';
const silent = () => {};

const migrationsFingerprint = fingerprintMigrations();

/** Changes with any migration's name or source, so that editing a migration rebuilds the templates. */
function fingerprintMigrations(): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(migrations)) {
    hash.update(`${name}\n`);
    try {
      hash.update(readFileSync(fileURLToPath(new URL(`../migrations/${name}.ts`, import.meta.url))));
    } catch {
      // Not running from source: the names alone.
    }
  }
  return hash.digest('hex').slice(0, 16);
}

// ---------------------------------------------------------------------------------------------- PostgreSQL

let templateName: Promise<string> | undefined;

async function createPostgresTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `${TEST_DATABASE_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(adminUrl, async (admin) => {
    for (let attempt = 1; ; attempt++) {
      templateName ??= ensureTemplate(adminUrl);
      const template = await templateName;
      try {
        await admin.query(`create database ${name} template ${template}`);
        return;
      } catch (error) {
        const state = sqlState(error);
        // 55006: CREATE DATABASE … TEMPLATE refuses while anything is connected to the template; that is
        // brief. 3D000: a run of other migrations on the same server (another checkout) dropped this
        // template as a leftover; build it again.
        if ((state !== '55006' && state !== '3D000') || attempt === 20) throw error;
        if (state === '3D000') templateName = undefined;
        await new Promise((done) => setTimeout(done, 50 * attempt));
      }
    }
  });
  const url = withDatabaseName(adminUrl, name);
  const handle = await createDatabase({ databaseUrl: url, poolSize: 4 });
  let closing: Promise<void> | undefined;
  return {
    ...handle,
    url,
    close() {
      closing ??= (async () => {
        await handle.close();
        await withAdminClient(adminUrl, (admin) =>
          admin.query(`drop database if exists ${name} with (force)`),
        );
      })();
      return closing;
    },
  };
}

/** Creates and migrates the template for the current migrations once, whichever worker gets there first. */
async function ensureTemplate(adminUrl: string): Promise<string> {
  const name = `${TEMPLATE_PREFIX}${migrationsFingerprint}`;
  return withAdminClient(adminUrl, async (admin) => {
    await admin.query('select pg_advisory_lock(hashtext($1))', [TEMPLATE_PREFIX]);
    try {
      const { rows } = await admin.query<{ datistemplate: boolean }>(
        'select datistemplate from pg_database where datname = $1',
        [name],
      );
      if (rows[0]?.datistemplate) return name;
      // Left half-built by a run that crashed while migrating it.
      if (rows[0]) await admin.query(`drop database ${name} with (force)`);
      await admin.query(`create database ${name}`);
      const handle = await createDatabase({ databaseUrl: withDatabaseName(adminUrl, name), poolSize: 1 });
      try {
        await migrateToLatest(handle.db, { log: silent });
      } finally {
        await handle.close();
      }
      await admin.query(`alter database ${name} is_template true`);
      await dropLeftovers(admin, adminUrl, name);
      return name;
    } finally {
      await admin.query('select pg_advisory_unlock(hashtext($1))', [TEMPLATE_PREFIX]);
    }
  });
}

/**
 * Best effort: templates of older migrations, and test databases of processes on this machine that died
 * before closing them.
 */
async function dropLeftovers(admin: pg.Client, adminUrl: string, currentTemplate: string): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    `select datname from pg_database where datname like 'tollgate\\_t%'`,
  );
  const local = isLocalServer(adminUrl);
  for (const { datname } of rows) {
    try {
      if (datname.startsWith(TEMPLATE_PREFIX) && datname !== currentTemplate) {
        await admin.query(`alter database ${datname} is_template false`);
        await admin.query(`drop database ${datname}`);
      } else if (local && datname.startsWith(TEST_DATABASE_PREFIX)) {
        const pid = Number(datname.slice(TEST_DATABASE_PREFIX.length).split('_')[0]);
        if (pid > 0 && !isProcessAlive(pid)) await admin.query(`drop database ${datname} with (force)`);
      }
    } catch {
      // In use by a concurrent run: leave it.
    }
  }
}

async function withAdminClient<T>(adminUrl: string, use: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.end();
  }
}

function withDatabaseName(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function isLocalServer(databaseUrl: string): boolean {
  const url = new URL(databaseUrl);
  const host = url.searchParams.get('host') ?? url.hostname;
  return host === '' || host.startsWith('/') || ['localhost', '127.0.0.1', '[::1]'].includes(host);
}

function sqlState(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

// -------------------------------------------------------------------------------------------------- PGlite

const cacheDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.cache', 'tollgate-db');
// The resolved path names the PGlite version (pnpm store path), whose data directory format may change.
const pgliteFingerprint = createHash('sha256')
  .update(`${migrationsFingerprint}\n${createRequire(import.meta.url).resolve('@electric-sql/pglite')}`)
  .digest('hex')
  .slice(0, 16);
const templateFile = join(cacheDir, `pglite-${pgliteFingerprint}.tar`);

let pgliteTemplate: Promise<Blob> | undefined;

async function createPgliteTestDatabase(): Promise<TestDatabase> {
  pgliteTemplate ??= loadPgliteTemplate();
  const pglite = await openPglite({ loadDataDir: await pgliteTemplate });
  return createPgliteHandle(pglite);
}

/** Loading a migrated dump takes a fraction of a fresh PGlite (initdb) plus the migrations. */
async function loadPgliteTemplate(): Promise<Blob> {
  try {
    return new Blob([await readFile(templateFile)]);
  } catch {
    return buildPgliteTemplate();
  }
}

async function buildPgliteTemplate(): Promise<Blob> {
  const pglite = await openPglite();
  const handle = createPgliteHandle(pglite);
  let dump: Blob;
  try {
    await migrateToLatest(handle.db, { log: silent });
    dump = await pglite.dumpDataDir('none');
  } finally {
    await handle.close();
  }
  try {
    await mkdir(cacheDir, { recursive: true });
    const temporary = `${templateFile}.${process.pid}.tmp`;
    await writeFile(temporary, Buffer.from(await dump.arrayBuffer()));
    await rename(temporary, templateFile);
    for (const file of await readdir(cacheDir)) {
      if (file.startsWith('pglite-') && join(cacheDir, file) !== templateFile && !file.endsWith('.tmp')) {
        await rm(join(cacheDir, file), { force: true });
      }
    }
  } catch {
    // The cache is only a speed-up.
  }
  return dump;
}
