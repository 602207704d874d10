import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { findRetiredSecret, findTokenForVerification } from '@tollgate/db';
import { parseToken, tokenDisplayPrefix, tokenPattern, tokenStatus } from '@tollgate/domain';
import { hashTokenNative } from '../auth/hash.ts';
import { revokeToken } from '../core/tokens.ts';
import type { Services } from '../services.ts';
import type { CliIo } from './command.ts';
import { formatTable } from './format.ts';

/** The parsed command line of `token scan` (commands/token-scan.ts). */
export interface TokenScanCommand {
  json: boolean;
  /** A file or directory; '-' for standard input. */
  path: string;
  revoke: boolean;
}

/** What the scan found for one token (never its secret). */
export interface TokenScanFinding {
  /** The first 12 characters, as lists show them. */
  prefix: string;
  /** The token it belongs to; null when it is not a token of this installation. */
  tokenId: string | null;
  /** The token's status; `retired` for a rotated-away secret, `unknown` when no token has it. */
  status: 'active' | 'inactive' | 'expired' | 'revoked' | 'retired' | 'unknown';
  /** Every place it was found: `file:line` (`-:line` for standard input). */
  locations: string[];
  /** Whether this scan revoked it (--revoke). */
  revoked: boolean;
}

const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

async function* sources(path: string, io: CliIo): AsyncGenerator<{ name: string; text: string }> {
  if (path === '-') {
    yield { name: '-', text: io.stdin ? await io.stdin() : '' };
    return;
  }
  const info = await stat(path);
  if (!info.isDirectory()) {
    yield { name: path, text: await readFile(path, 'utf8') };
    return;
  }
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.isDirectory() && SKIPPED_DIRECTORIES.has(entry.name)) continue;
    if (entry.isDirectory() || entry.isFile()) yield* sources(join(path, entry.name), io);
  }
}

/** Well-formed tokens in `text` (pattern + checksum of the domain) with their line numbers. */
function tokensIn(text: string, prefix: string): { token: string; line: number }[] {
  const found: { token: string; line: number }[] = [];
  for (const match of text.matchAll(tokenPattern(prefix))) {
    if (!parseToken(match[0], { prefix }).ok) continue;
    const line = text.slice(0, match.index).split('\n').length;
    found.push({ token: match[0], line });
  }
  return found;
}

/**
 * Scans, looks each distinct token up by hash (current, previous or retired secret) and, with --revoke,
 * revokes the active ones with reason `exposed`. Prints a table, or one JSON value with --json.
 */
export async function runTokenScan(services: Services, command: TokenScanCommand, io: CliIo): Promise<void> {
  const byHash = new Map<string, { token: string; locations: string[] }>();
  for await (const source of sources(command.path, io)) {
    for (const { token, line } of tokensIn(source.text, services.env.TOKEN_PREFIX)) {
      const hash = hashTokenNative(token);
      const seen = byHash.get(hash) ?? { token, locations: [] };
      seen.locations.push(`${source.name}:${line}`);
      byHash.set(hash, seen);
    }
  }

  const now = services.clock.now();
  const findings: TokenScanFinding[] = [];
  for (const [hash, { token, locations }] of byHash) {
    const finding: TokenScanFinding = {
      prefix: tokenDisplayPrefix(token),
      tokenId: null,
      status: 'unknown',
      locations,
      revoked: false,
    };
    const row = await findTokenForVerification(services.db, hash);
    if (row) {
      finding.tokenId = row.id;
      const graceOver = row.hash !== hash && (row.previousHashExpiresAt?.getTime() ?? 0) <= now.getTime();
      finding.status = graceOver ? 'retired' : tokenStatus(row, now);
      if (command.revoke && finding.status === 'active') {
        await revokeToken(
          services,
          { kind: 'system', organizationId: row.organizationId },
          { id: row.id, reason: 'exposed' },
        );
        finding.revoked = true;
      }
    } else {
      const retired = await findRetiredSecret(services.db, hash);
      if (retired) {
        finding.tokenId = retired.tokenId;
        finding.status = 'retired';
      }
    }
    findings.push(finding);
  }

  if (command.json) {
    io.stdout(JSON.stringify({ found: findings }));
    return;
  }
  if (findings.length === 0) {
    io.stdout('No tokens found.');
    return;
  }
  io.stdout(
    formatTable(
      ['PREFIX', 'TOKEN', 'STATUS', 'FOUND IN'],
      findings.map((finding) => [
        `${finding.prefix}…`,
        finding.tokenId ?? '-',
        finding.revoked ? 'revoked now (exposed)' : finding.status,
        finding.locations.join(', '),
      ]),
    ),
  );
}
