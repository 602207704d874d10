/**
 * The fallback load generator when wrk is not installed: autocannon in a process of its own.
 * `load-autocannon.ts <url> <connections> <seconds> <authorizations.json> [timeout seconds]`; prints one
 * BENCH_RESULT line.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  requests: { method: 'GET'; headers: Record<string, string> }[];
}) => Promise<AutocannonResult>;
// autocannon ships no types; this is the part of its promise API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const [url, connections, seconds, file, timeout = '5'] = process.argv.slice(2);
if (!url || !connections || !seconds || !file) throw new Error('usage: <url> <connections> <seconds> <file>');
const authorizations = JSON.parse(readFileSync(file, 'utf8')) as string[];
const result = await autocannon({
  url,
  connections: Number(connections),
  duration: Number(seconds),
  timeout: Number(timeout),
  // Each connection cycles through the list: the Authorization header changes with every request.
  requests: authorizations.map((authorization) => ({ method: 'GET', headers: { authorization } })),
});
console.log(
  `BENCH_RESULT ${JSON.stringify({
    requests: result.requests.total,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  })}`,
);
