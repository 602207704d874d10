import { normalizeIpAddress, type TTokenLastUsedAddress } from '@tollgate/domain';

/** How many distinct addresses lastUsedIps shows (§3); the database keeps as many (LAST_USED_IPS_KEPT). */
const SHOWN = 5;

/**
 * lastUsedIps with a use the database has not seen yet (the request being answered, e.g. `tokens.self`) in
 * front: its address moves to the top with this time and user agent, and the list keeps 5 distinct addresses.
 */
export function withLatestAddress(
  stored: readonly TTokenLastUsedAddress[],
  use: { at: Date; ip: string; userAgent?: string | null },
): TTokenLastUsedAddress[] {
  const ip = normalizeIpAddress(use.ip) ?? use.ip;
  const latest = { ip, lastUsedAt: use.at.toISOString(), userAgent: use.userAgent ?? null };
  return [latest, ...stored.filter((entry) => entry.ip !== ip)].slice(0, SHOWN);
}
