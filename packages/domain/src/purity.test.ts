import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The package runs in the browser as well as in Node (§1): its runtime sources may use neither Node's
// modules nor its globals. Tests are exempt.
const root = fileURLToPath(new URL('.', import.meta.url));
const sources = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  .map((file) => ({ file: relative(root, join(root, file)), text: readFileSync(join(root, file), 'utf8') }));

describe('runtime sources stay pure', () => {
  it('finds the sources', () => {
    expect(sources.map((source) => source.file)).toContain('index.ts');
  });

  it.each(sources.map((source) => [source.file, source.text]))(
    '%s uses no Node modules or globals',
    (_file, text) => {
      expect(text).not.toMatch(/from ['"]node:|require\(|\bprocess\.|\bBuffer\b|__dirname/);
    },
  );
});
