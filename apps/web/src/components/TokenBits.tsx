import type { TTokenStatus } from '@tollgate/domain';
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
