import type { TTokenRevokedReason, TTokenStatus } from '@tollgate/domain';
import { expiresSoon, formatDate, formatDateTime, formatRelative } from '../lib/format.ts';

export function StatusBadge({ status }: { status: TTokenStatus }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}

/** A time as "3 minutes ago", with the exact date and time as its tooltip and machine-readable value. */
export function RelativeTime({ iso, now }: { iso: string; now?: Date }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}

/** When a token expires: never, the date (with "in 5 days"), and an "expires soon" mark within a week. */
export function Expiry({ token, now }: { token: { status: string; expiresAt: string | null }; now?: Date }) {
  if (!token.expiresAt) return <span className="muted">Never</span>;
  return (
    <>
      <time dateTime={token.expiresAt} title={formatDateTime(token.expiresAt)}>
        {formatDate(token.expiresAt)}
      </time>{' '}
      <span className="muted">({formatRelative(token.expiresAt, now)})</span>
      {expiresSoon(token, now) ? <span className="badge badge-soon">expires soon</span> : null}
    </>
  );
}

/** The Active switch of a token: on only while it is active; a revoked or expired token has none to turn. */
export function activeState(token: { status: TTokenStatus; active: boolean }): {
  checked: boolean;
  final: boolean;
} {
  const final = token.status === 'revoked' || token.status === 'expired';
  return { checked: !final && token.active, final };
}

/** Why a token was revoked, in words (§3 revokedReason). */
export const REVOKED_REASON_TEXT: Record<TTokenRevokedReason, string> = {
  manual: 'revoked by a person or an API call',
  exposed: 'reported as exposed (found where it should not be), and revoked at once',
  reuse: 'a rotated-away secret of it was presented again, and the policy revokes on reuse',
  member_removed: 'its member left the organisation',
};

/** Where an exposed token was found, from its `token.revoked` audit entry. */
export interface ExposureReport {
  reportedBy: string | null;
  url: string | null;
  source: string | null;
}

const REPORTERS: Record<string, string> = {
  public_report: 'a public leak report',
  github_secret_scanning: 'GitHub secret scanning',
};

/** The audit log's name for a system actor: a leak reporter (§13), else Tollgate itself. */
export function systemActorName(actorId: string | null): string {
  const reporter = actorId === null ? undefined : REPORTERS[actorId];
  return reporter ? reporter.charAt(0).toUpperCase() + reporter.slice(1) : 'Tollgate (system)';
}

/** Audit entries a security reviewer looks for first: reuse of a retired secret, a leak revocation. */
export function isSecurityEvent(entry: { action: string; detail: Record<string, unknown> }): boolean {
  return (
    entry.action === 'token.reuse_detected' ||
    (entry.action === 'token.revoked' &&
      (entry.detail.reason === 'exposed' || entry.detail.reason === 'reuse'))
  );
}

/** A revoked token's reason, and for an exposed one who reported it and where it was found (§13, §10). */
export function RevokedReason({
  reason,
  report,
}: {
  reason: TTokenRevokedReason | null;
  report?: ExposureReport | null;
}) {
  if (reason === null) return null;
  return (
    <span data-testid="revoked-reason" data-reason={reason}>
      {REVOKED_REASON_TEXT[reason]}
      {reason === 'exposed' && report ? (
        <>
          {report.reportedBy ? ` — by ${REPORTERS[report.reportedBy] ?? report.reportedBy}` : null}
          {report.url ? (
            <>
              {', found at '}
              {/^https?:\/\//.test(report.url) ? (
                <a href={report.url} rel="noreferrer noopener" target="_blank">
                  {report.url}
                </a>
              ) : (
                <code>{report.url}</code>
              )}
            </>
          ) : null}
          {report.source ? ` (${report.source})` : null}
        </>
      ) : null}
    </span>
  );
}

/** The last client addresses a token was used from (§3 lastUsedIps), newest first. */
export function LastUsedAddresses({
  addresses,
  now,
}: {
  addresses: readonly { ip: string; lastUsedAt: string; userAgent: string | null }[];
  now?: Date;
}) {
  if (addresses.length === 0) return <span className="muted">none yet</span>;
  return (
    <ul className="plain-list" data-testid="last-used-ips">
      {addresses.map((address) => (
        <li key={address.ip}>
          <code>{address.ip}</code> <RelativeTime iso={address.lastUsedAt} {...(now ? { now } : {})} />
          {address.userAgent ? <span className="muted"> · {address.userAgent}</span> : null}
        </li>
      ))}
    </ul>
  );
}
