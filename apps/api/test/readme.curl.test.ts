import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server.ts';
import { createTestHarness, type TestHarness } from './helpers/harness.ts';

/** The README's "REST API" cURL examples, run as written with curl against a listening server. */

const run = promisify(execFile);
const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The `curl` lines of the ```sh blocks of the README section `## REST API`. */
function curlExamples(markdown: string): string[] {
  const section = /^## REST API\n([\s\S]*?)(?=^## )/m.exec(markdown)?.[1] ?? '';
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] as string);
  return blocks.flatMap((block) => block.split('\n').filter((line) => line.trimStart().startsWith('curl ')));
}

/**
 * Splits a command line as a POSIX shell would for these examples: words separated by blanks, single
 * quotes literal, double quotes expanding `$NAME`, unquoted `$NAME` expanded too.
 */
function shellWords(line: string, variables: Record<string, string>): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string;
    if (quote === "'") {
      if (char === "'") quote = null;
      else word += char;
      continue;
    }
    if (char === '$') {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(i + 1))?.[0];
      if (name) {
        const value = variables[name];
        if (value === undefined) throw new Error(`the example uses $${name}, which the test does not set`);
        word = (word ?? '') + value;
        i += name.length;
        continue;
      }
    }
    if (quote === '"') {
      if (char === '"') quote = null;
      else if (char === '\\' && /["\\$`]/.test(line[i + 1] ?? '')) word += line[++i] as string;
      else word += char;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      word ??= '';
    } else if (char === ' ' || char === '\t') {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} in: ${line}`);
  if (word !== null) words.push(word);
  return words;
}

let h: TestHarness;
let app: FastifyInstance;
let url: string;
let token: string;

beforeAll(async () => {
  h = await createTestHarness();
  const org = await h.seedOrganization({ tier: 'standard' });
  token = (
    await h.issueToken({
      organizationId: org.id,
      type: 'service',
      scopes: ['organization:read', 'repositories:write'],
    })
  ).token;
  app = await buildServer({ services: h.services });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

describe('README REST API examples', () => {
  const examples = curlExamples(README);

  it('the section exists and shows the organisation, a POST with a JSON body and tokens/self', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    expect(examples.join('\n')).toContain('"$URL/api/v1/organization"');
    expect(examples.some((line) => line.includes('-X POST') && line.includes(' -d '))).toBe(true);
    expect(examples.join('\n')).toContain('/api/v1/tokens/self');
  });

  it('splits words as the shell does', () => {
    expect(shellWords(`curl  -H "A: $X" -d '{"a": "$X"}' "$X/p"`, { X: 'v' })).toEqual([
      'curl',
      '-H',
      'A: v',
      '-d',
      '{"a": "$X"}',
      'v/p',
    ]);
  });

  it.each(examples.map((line) => [line]))('%s → 2xx with the rate-limit headers', async (line) => {
    const [command, ...args] = shellWords(line, { URL: url, TOKEN: token });
    expect(command).toBe('curl');
    // -s: no progress meter; -i: the status line and headers before the body.
    const { stdout } = await run('curl', ['-s', '-i', '--max-time', '20', ...args]);
    const [head = '', body = ''] = stdout.split(/\r\n\r\n/, 2);
    const [statusLine = '', ...headerLines] = head.split('\r\n');
    const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(statusLine)?.[1]);
    expect(status, stdout).toBeGreaterThanOrEqual(200);
    expect(status, stdout).toBeLessThan(300);
    const headers = new Map(
      headerLines.map((header) => {
        const colon = header.indexOf(':');
        return [header.slice(0, colon).toLowerCase(), header.slice(colon + 1).trim()] as const;
      }),
    );
    expect(Number(headers.get('x-ratelimit-limit'))).toBeGreaterThan(0);
    expect(Number(headers.get('x-ratelimit-remaining'))).toBeGreaterThanOrEqual(0);
    expect(Number(headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 5);
    expect(headers.get('ratelimit-policy')).toMatch(/"minute";q=\d+;w=60/);
    expect(headers.get('ratelimit')).toMatch(/;r=\d+;t=\d+/);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(body)).not.toHaveProperty('success', false);
  });
});
