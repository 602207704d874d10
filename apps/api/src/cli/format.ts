import type { TToken, TTokenWithSecret } from '@tollgate/domain';

/** A day is precise enough for a terminal; the JSON output keeps full timestamps. */
function day(value: string | null, none: string): string {
  return value === null ? none : value.slice(0, 10);
}

/** Left-aligned columns separated by two spaces, like `kubectl get` or `gh … list`. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** The human form of `token list`: one row per token, prefix only, never a secret (there is none to show). */
export function formatTokenList(tokens: readonly TToken[], organizationSlug: string): string {
  if (tokens.length === 0) return `The organisation ${organizationSlug} has no tokens.`;
  return formatTable(
    ['ID', 'NAME', 'TYPE', 'PREFIX', 'STATUS', 'SCOPES', 'EXPIRES', 'LAST USED'],
    tokens.map((token) => [
      token.id,
      token.name,
      token.type,
      `${token.prefix}…`,
      token.status,
      token.scopes.join(','),
      day(token.expiresAt, 'never'),
      day(token.lastUsedAt, 'never'),
    ]),
  );
}

/** The human form of `token create`: the secret on a line of its own (easy to copy) and the warning. */
export function formatCreatedToken(
  token: TTokenWithSecret,
  organizationSlug: string,
  subject: string | null,
): string {
  const owner = subject === null ? 'service token' : `personal token for ${subject}`;
  const expiry = token.expiresAt === null ? 'never expires' : `expires ${token.expiresAt}`;
  return [
    `Created ${owner} "${token.name}" (${token.id}) in ${organizationSlug}; ${expiry}.`,
    `Scopes: ${token.scopes.length > 0 ? token.scopes.join(', ') : '(none)'}`,
    ...(token.ipAllowlist.length > 0 ? [`Allowed from: ${token.ipAllowlist.join(', ')}`] : []),
    '',
    token.token,
    '',
    'Copy this token now: it will not be shown again.',
  ].join('\n');
}
