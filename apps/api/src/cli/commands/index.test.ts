import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { overview, parseCommandLine, UsageError } from '../args.ts';
import { defineCommand } from '../command.ts';
import { COMMANDS } from './index.ts';

const directory = fileURLToPath(new URL('.', import.meta.url));
const sources = readdirSync(directory)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  .map((file) => [file, readFileSync(`${directory}/${file}`, 'utf8')] as const);

/** What a command file may load at once: help and usage errors answer with these alone (main.ts). */
const LIGHT = [/^@tollgate\/domain$/, /^\.\.\/command\.ts$/, /^\.\/[a-z-]+\.ts$/];

describe('the command records', () => {
  it('are every file of cli/commands, each listed once', () => {
    expect(COMMANDS).toHaveLength(sources.length - 1);
    expect(new Set(COMMANDS.map((command) => command.name)).size).toBe(COMMANDS.length);
    for (const command of COMMANDS) expect(overview()).toContain(`pnpm tollgate ${command.name} `);
  });

  it.each(sources)('%s loads the database and the core only inside run()', (_file, text) => {
    const staticImports = [...text.matchAll(/^import (?!type )[^;]*? from '([^']+)';/gms)].map(
      (match) => match[1] as string,
    );
    for (const specifier of staticImports) {
      expect(
        LIGHT.some((pattern) => pattern.test(specifier)),
        specifier,
      ).toBe(true);
    }
  });

  it('a new command is one record: its options, parser and runner, found by the command line', async () => {
    const ran: unknown[] = [];
    const echo = defineCommand({
      name: 'echo twice',
      synopsis: '--word <word> [--json]',
      summary: 'Says it twice.',
      options: { word: { type: 'string' }, json: { type: 'boolean' } },
      details: [],
      parse: (args) => ({ word: args.required('word') }),
      run: async (_context, input) => {
        ran.push(input);
      },
    });
    const parsed = parseCommandLine(['echo', 'twice', '--word', 'hi'], [...COMMANDS, echo]);
    if (parsed.kind !== 'run') throw new Error('expected a command to run');
    await parsed.run({} as never);
    expect(ran).toEqual([{ word: 'hi' }]);
    expect(() => parseCommandLine(['echo', 'twice'], [echo])).toThrow(UsageError);
    expect(() => parseCommandLine(['echo', 'twice'], [echo])).toThrow(
      /Missing --word\. Usage: pnpm tollgate echo twice/,
    );
  });
});
