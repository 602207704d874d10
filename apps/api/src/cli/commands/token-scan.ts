import { defineCommand, JSON_OPTION } from '../command.ts';

/** `pnpm tollgate token scan [path|-] [--revoke] [--json]` (§11, §13); the scan itself is cli/token-scan.ts. */
export const tokenScanCommand = defineCommand({
  name: 'token scan',
  synopsis: '[path|-] [--revoke] [--json]',
  summary:
    'Find tokens in a file, a directory (recursively) or standard input (-, the default); never prints a secret.',
  options: { ...JSON_OPTION, revoke: { type: 'boolean' } },
  details: [
    'Finds tokens by the documented pattern and checksum, and prints for each its prefix, token id, status',
    'and where it was found.',
    '--revoke               revoke every active token found, with the reason exposed',
    '--json                 print one JSON object: {"found": [...]}',
  ],
  maxPositionals: 1,
  parse(args) {
    return { json: args.json, path: args.positionals[0] ?? '-', revoke: args.flag('revoke') };
  },
  async run({ services, io }, input) {
    const { runTokenScan } = await import('../token-scan.ts');
    await runTokenScan(services(), input, io);
  },
});
