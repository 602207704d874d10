/**
 * `pnpm bench`: the cost of verifyToken (issue 3, item 9) — warm-cache throughput, the cost of a cache miss
 * against PostgreSQL and PGlite, queries per miss, and database writes per 10,000 verifications — printed
 * as a table and written to BENCHMARKS.md at the repository root.
 *
 * PostgreSQL: a throwaway database on the server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432),
 * dropped at the end; nothing is written to the database DATABASE_URL names. BENCH_QUICK=1 runs shorter.
 * `--http` runs only the HTTP benchmark (http.ts, with its own flags), `--verify` only this one.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { findTokenForVerification } from '@tollgate/db';
import { hashToken, parseToken } from '@tollgate/domain';
import { verifyToken } from '../src/auth/verify-token.ts';
import type { Services } from '../src/services.ts';
import { httpOptionsFromArgs, runHttpBench } from './http.ts';
import {
  type BenchDatabase,
  benchServices,
  DEFAULT_POSTGRES_URL,
  openBenchDatabase,
  seedTokens,
} from './setup.ts';

const QUICK = process.env.BENCH_QUICK === '1';
/** `--http`: only the HTTP benchmark; `--verify`: only the verification one; default both. */
const ONLY_HTTP = process.argv.includes('--http');
const ONLY_VERIFY = process.argv.includes('--verify');
const REPORT_PATH = fileURLToPath(new URL('../../../BENCHMARKS.md', import.meta.url));
const HTTP_HEADING = '## HTTP\n';

/** The file's "HTTP" section (up to the next level-2 heading or the end), or '' when there is none. */
function httpSectionOf(report: string): string {
  const start = report.indexOf(`\n${HTTP_HEADING}`);
  if (start < 0) return '';
  const next = report.indexOf('\n## ', start + 1 + HTTP_HEADING.length);
  return report.slice(start + 1, next < 0 ? undefined : next + 1);
}

/** Writes the report with its HTTP section replaced (or added at the end): both benchmarks keep their part. */
function writeReport(verification: string | null, http: string | null) {
  const current = existsSync(REPORT_PATH) ? readFileSync(REPORT_PATH, 'utf8') : '';
  const currentHttp = httpSectionOf(current);
  const base = verification ?? (currentHttp ? current.replace(currentHttp, '') : current);
  const httpPart = http ?? currentHttp;
  writeFileSync(REPORT_PATH, httpPart ? `${base.trimEnd()}\n\n${httpPart.trimEnd()}\n` : base);
}
const WARM_SECONDS = QUICK ? 0.5 : 2;
const WARM_ROUNDS = 3;
const MISSES = QUICK ? 300 : 2_000;
const WRITES_PER = 10_000;
const IP = '10.1.2.3';
const SCOPE = 'wiki:read' as const;

const now = () => performance.now();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((row) => row.map(String));
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...cells.map((row) => row[i]?.length ?? 0)),
  );
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join(
    '\n',
  );
}

/** ns per call of a synchronous function, best of three runs. */
function nsPerCall(iterations: number, fn: (i: number) => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const start = now();
    for (let i = 0; i < iterations; i++) fn(i);
    best = Math.min(best, ((now() - start) * 1e6) / iterations);
  }
  return best;
}

const bearer = (tokens: string[]) => tokens.map((token) => `Bearer ${token}`);

function verify(services: Services, authorization: string) {
  return verifyToken(services, { authorization, ip: IP, requiredScope: SCOPE });
}

// ------------------------------------------------------------------------------------------------ measures

function measureHashing(token: string) {
  const iterations = QUICK ? 50_000 : 300_000;
  // Warm the JIT first.
  nsPerCall(20_000, () => hashToken(token));
  nsPerCall(20_000, () => createHash('sha256').update(token).digest('hex'));
  return {
    parse: nsPerCall(iterations, () => parseToken(token)),
    noble: nsPerCall(iterations, () => hashToken(token)),
    node: nsPerCall(iterations, () => createHash('sha256').update(token).digest('hex')),
  };
}

async function measureWarm(bench: BenchDatabase) {
  const { services, counter, stop } = benchServices(bench.database);
  const headers = bearer(await seedTokens(bench.database, 100));
  for (const header of headers) await verify(services, header);
  for (let i = 0; i < 50_000; i++) await verify(services, headers[i % headers.length] as string);
  counter.reset();
  const rates: number[] = [];
  let total = 0;
  for (let round = 0; round < WARM_ROUNDS; round++) {
    const deadline = now() + WARM_SECONDS * 1000;
    let count = 0;
    const start = now();
    while (now() < deadline) {
      // Batches of 1,000 keep the clock reads out of the measurement.
      for (let i = 0; i < 1_000; i++) await verify(services, headers[(count + i) % headers.length] as string);
      count += 1_000;
    }
    rates.push(count / ((now() - start) / 1000));
    total += count;
  }
  const queries = counter.total();
  await stop();
  return { rate: median(rates), best: Math.max(...rates), verifications: total, queries };
}

async function measureMisses(bench: BenchDatabase) {
  const { services, counter, stop } = benchServices(bench.database);
  const headers = bearer(await seedTokens(bench.database, MISSES));
  // Connections and the JIT, on tokens of their own.
  const warmup = bearer(await seedTokens(bench.database, 50));
  for (const header of warmup) await verify(services, header);
  counter.reset();
  const latencies: number[] = [];
  const start = now();
  // Every token is presented for the first time: each verification is a cache miss.
  for (const header of headers) {
    const t0 = now();
    await verify(services, header);
    latencies.push(now() - t0);
  }
  const elapsed = now() - start;
  const queries = counter.total();

  // Concurrent misses (the pool of a test database has 4 connections).
  const concurrent = bearer(await seedTokens(bench.database, MISSES));
  const concurrentStart = now();
  for (let i = 0; i < concurrent.length; i += 16) {
    await Promise.all(concurrent.slice(i, i + 16).map((header) => verify(services, header)));
  }
  const concurrentRate = concurrent.length / ((now() - concurrentStart) / 1000);
  await stop();
  return {
    mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
    p50: median(latencies),
    p99: percentile(latencies, 99),
    sequentialRate: headers.length / (elapsed / 1000),
    concurrentRate,
    queriesPerMiss: queries / headers.length,
  };
}

/** The lookup's plan: the SQL findTokenForVerification runs, under EXPLAIN ANALYZE. */
async function explainLookup(bench: BenchDatabase): Promise<string> {
  const [token] = await seedTokens(bench.database, 1);
  const db = bench.database.db;
  await db.executeQuery({ ...db.getExecutor().compileQuery(rawNode('analyze'), { queryId: 'a' }) });
  let captured: Parameters<Parameters<typeof db.withPlugin>[0]['transformQuery']>[0] | undefined;
  const capturing = db.withPlugin({
    transformQuery(args) {
      captured = args;
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  await findTokenForVerification(capturing, hashToken(token as string));
  if (!captured) return '(no query captured)';
  const compiled = db.getExecutor().compileQuery(captured.node, captured.queryId);
  const result = await db.executeQuery<{ 'QUERY PLAN': string }>({
    ...compiled,
    sql: `explain (analyze, costs off, timing off, summary off) ${compiled.sql}`,
  });
  return result.rows.map((row) => row['QUERY PLAN']).join('\n');
}

/** A raw statement as an operation node, for the one utility statement (ANALYZE) the benchmark needs. */
function rawNode(statement: string) {
  return { kind: 'RawNode', sqlFragments: [statement], parameters: [] } as unknown as Parameters<
    ReturnType<BenchDatabase['database']['db']['getExecutor']>['compileQuery']
  >[0];
}

async function measureWrites(bench: BenchDatabase, distinct: number) {
  const { services, counter, stop } = benchServices(bench.database);
  const headers = bearer(await seedTokens(bench.database, distinct));
  for (const header of headers) await verify(services, header);
  await services.usage.flush();
  counter.reset();
  for (let i = 0; i < WRITES_PER; i++) await verify(services, headers[i % headers.length] as string);
  const duringRequests = counter.writes();
  const readsDuringRequests = counter.counts.select;
  await services.usage.flush();
  const oneFlush = counter.writes() - duringRequests;

  // The same 10,000 with a flush after every 1,000, as a busy process with a short interval would do.
  counter.reset();
  for (let i = 0; i < WRITES_PER; i++) {
    await verify(services, headers[i % headers.length] as string);
    if ((i + 1) % 1_000 === 0) await services.usage.flush();
  }
  const tenFlushes = counter.writes();
  await stop();
  return { distinct, duringRequests, readsDuringRequests, oneFlush, tenFlushes };
}

// ---------------------------------------------------------------------------------------------------- main

async function main() {
  // Parsed first, so that a bad flag stops the run before anything is measured.
  const httpOptions = httpOptionsFromArgs(process.argv.slice(2));
  if (ONLY_HTTP) {
    const http = await runHttpBench(httpOptions);
    // A subset of the targets is a comparison, not the latest run: BENCHMARKS.md keeps the full one.
    if (httpOptions.targets) {
      console.log(`${http}\n(--targets: not written to ${REPORT_PATH})`);
      return;
    }
    writeReport(null, http);
    console.log(`${http}\nWritten to ${REPORT_PATH}`);
    return;
  }
  await mainVerification();
  if (!ONLY_VERIFY) {
    const http = await runHttpBench(httpOptions);
    if (httpOptions.targets) {
      console.log(`${http}\n(--targets: the HTTP section of ${REPORT_PATH} keeps the full run)`);
      return;
    }
    writeReport(null, http);
    console.log(`${http}\nWritten to ${REPORT_PATH}`);
  }
}

async function mainVerification() {
  const startLoad = loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
  const serverUrl = process.env.DATABASE_URL ?? DEFAULT_POSTGRES_URL;
  const sampleToken = (await import('@tollgate/domain')).newToken('personal').token;
  const hashing = measureHashing(sampleToken);

  const engines: BenchDatabase[] = [];
  try {
    engines.push(await openBenchDatabase('postgres', serverUrl));
  } catch (error) {
    console.error(
      `PostgreSQL unavailable at ${serverUrl} (${(error as Error).message}); measuring PGlite only.`,
    );
  }
  engines.push(await openBenchDatabase('pglite', serverUrl));

  const primary = engines[0] as BenchDatabase;
  try {
    console.error('warm cache…');
    const warm = await measureWarm(primary);
    const misses: { bench: BenchDatabase; result: Awaited<ReturnType<typeof measureMisses>> }[] = [];
    for (const bench of engines) {
      console.error(`misses on ${bench.label}…`);
      misses.push({ bench, result: await measureMisses(bench) });
    }
    const plan = await explainLookup(primary);
    console.error('writes…');
    const writes = [];
    for (const distinct of [1, 10, 100, 1_000]) writes.push(await measureWrites(primary, distinct));

    const warmTable = table(
      ['measure', 'result', 'target'],
      [
        [
          'verifyToken, warm cache (sequential awaits, 1 thread)',
          `${fmt(warm.rate)} /s (${fmt(1e6 / warm.rate, 2)} µs each; best run ${fmt(warm.best)} /s)`,
          '≥ 100,000 /s',
        ],
        ['database queries during warm verifications', `${warm.queries} in ${fmt(warm.verifications)}`, '0'],
        ['parseToken (format + CRC32)', `${fmt(hashing.parse, 0)} ns`, ''],
        [
          'hashToken (domain, portable @noble/hashes SHA-256; not on the request path)',
          `${fmt(hashing.noble, 0)} ns`,
          '',
        ],
        ['hashTokenNative (node:crypto SHA-256; what verifyToken uses)', `${fmt(hashing.node, 0)} ns`, ''],
      ],
    );
    const missTable = table(
      ['engine', 'queries per miss', 'mean', 'p50', 'p99', 'misses/s sequential', 'misses/s, 16 concurrent'],
      misses.map(({ bench, result }) => [
        bench.label,
        fmt(result.queriesPerMiss, 2),
        `${fmt(result.mean * 1000)} µs`,
        `${fmt(result.p50 * 1000)} µs`,
        `${fmt(result.p99 * 1000)} µs`,
        fmt(result.sequentialRate),
        fmt(result.concurrentRate),
      ]),
    );
    const writeTable = table(
      [
        'distinct tokens',
        'writes during 10,000 verifications',
        'writes at one flush',
        'writes, flushing every 1,000',
        'target (≤ distinct tokens)',
      ],
      writes.map((w) => [
        fmt(w.distinct),
        `${w.duringRequests} (and ${w.readsDuringRequests} reads)`,
        w.oneFlush,
        w.tenFlushes,
        `≤ ${fmt(w.distinct)} ${w.duringRequests + w.oneFlush <= w.distinct ? '✓' : '✗'}`,
      ]),
    );

    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    const machine = [
      `- Date: ${new Date().toISOString()}`,
      `- CPU: ${cpu}, ${cpus().length} logical CPUs (nproc), ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM`,
      `- Node ${process.version}, ${process.platform}/${process.arch}`,
      `- Load average when the run started: ${startLoad} (the machine is shared; other work inflates every number)`,
      `- Databases: ${engines.map((e) => e.label).join('; ')} (a throwaway database, dropped afterwards)`,
    ].join('\n');

    const report = `# Benchmarks

Token verification (issue 3, item 9; PRODUCT.md §3 performance contract). Generated by \`pnpm bench\`
(apps/api/bench/run.ts); re-run it to refresh this file.

${machine}

## Warm cache

A single Node process (one event-loop thread), 100 personal tokens of one member with an IP allowlist
(two CIDR ranges) in an organisation with allowed IP ranges, presented round-robin; each call runs every
§3 check (Bearer parse, format and CRC32, SHA-256, cache lookup, revoked/inactive/expired/grace, role and
policy, both IP matchers, scope) and counts the request in the usage buffer. Median of ${WARM_ROUNDS} runs of
${WARM_SECONDS} s.

${warmTable}

## Cache miss

Each of ${fmt(MISSES)} tokens presented for the first time: one query (tokens ⨝ organizations ⟕ memberships,
by hash or previous hash) and the record compiled for the cache. "Queries per miss" counts every statement
the verification sent.

${missTable}

Plan of the lookup on ${primary.label}:

\`\`\`
${plan}
\`\`\`

## Database writes per 10,000 verifications

Verifications never write; the usage buffer writes a batch of any size in ONE statement (a data-modifying
CTE: an upsert into token_usage_daily and an UPDATE of tokens.last_used_at/last_used_ip, from arrays via
unnest). The process flushes every 5 s, so 10,000 verifications cost one write per flush interval they
span, whatever the number of tokens: within the target whenever each interval carries at least
10,000 / (distinct tokens) requests, and never more writes than requests.

${writeTable}

## Reproduce

\`\`\`sh
pnpm bench                                   # PostgreSQL at ${DEFAULT_POSTGRES_URL} + PGlite
DATABASE_URL=postgres://user@host:5432/db pnpm bench   # another server (a throwaway database is created on it)
BENCH_QUICK=1 pnpm bench                     # shorter runs
taskset -c 0 pnpm bench                      # pin to one core
\`\`\`
`;
    const path = REPORT_PATH;
    writeReport(report, null);
    console.log(
      `\n${machine}\n\nWarm cache\n${warmTable}\n\nCache miss\n${missTable}\n\n${plan}\n\nWrites\n${writeTable}\n`,
    );
    console.log(`Written to ${path}`);
  } finally {
    for (const bench of engines) await bench.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
