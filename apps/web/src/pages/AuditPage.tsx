import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { isSecurityEvent, systemActorName } from '../components/TokenBits.tsx';
import { formatDateTime } from '../lib/format.ts';
import { usePeople } from '../lib/people.ts';
import { Link } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { type RouterInputs, type RouterOutputs, useTRPC } from '../lib/trpc.ts';
import { useTitle } from '../lib/use-title.ts';

type Filters = { actor: string; action: string; from: string; to: string };
const EMPTY: Filters = { actor: '', action: '', from: '', to: '' };

/** The filters as audit.list takes them: dates are whole local days, `to` inclusive. */
function toInput(filters: Filters): NonNullable<RouterInputs['audit']['list']> {
  return {
    limit: 25,
    ...(filters.actor.trim() ? { actor: filters.actor.trim() } : {}),
    ...(filters.action.trim() ? { action: filters.action.trim() } : {}),
    ...(filters.from ? { from: new Date(`${filters.from}T00:00:00`).toISOString() } : {}),
    ...(filters.to ? { to: new Date(`${filters.to}T23:59:59.999`).toISOString() } : {}),
  };
}

type Entry = RouterOutputs['audit']['list']['data'][number];

/** An entry's detail as "field: value" lines (nested values as compact JSON), instead of one JSON blob. */
export function detailLines(
  detail: Record<string, unknown>,
  nameOf: (id: string) => string | null = () => null,
): [string, string][] {
  return Object.entries(detail).map(([key, value]) => [
    key,
    typeof value === 'string' ? (nameOf(value) ?? value) : JSON.stringify(value),
  ]);
}

/** Audit log: who did what, when and from where, newest first, with filters and pages. */
export function AuditPage() {
  const trpc = useTRPC();
  const id = useId();
  useTitle('Audit log');
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  // Cursors of the pages before the current one, to go back.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const entries = useQuery({
    ...trpc.audit.list.queryOptions({ ...toInput(filters), ...(cursor ? { cursor } : {}) }),
    placeholderData: keepPreviousData,
  });

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
    setCursors([]);
  };
  const set = (key: keyof Filters, value: string) => setDraft((previous) => ({ ...previous, [key]: value }));
  const rows = entries.data?.data ?? [];
  const people = usePeople();
  const { session } = useSession();
  // Token names for the entries' actors and targets (tokens the signed-in role may list).
  const tokens = useQuery({
    ...trpc.tokens.list.queryOptions({ limit: 100 }),
    enabled: session.scopes.includes('tokens:read'),
    staleTime: 60_000,
  });
  const tokenNames = new Map((tokens.data?.data ?? []).map((token) => [token.id, token.name]));
  const tokenName = (id: string, detail: Record<string, unknown>) =>
    tokenNames.get(id) ??
    (typeof detail.name === 'string' ? `${detail.name} (deleted)` : `${id.slice(0, 12)}…`);
  // An id inside a detail (e.g. subjectUserId) by name, when it is one of a person or a token.
  const idName = (value: string) =>
    /^usr_[0-9A-Za-z]+$/.test(value)
      ? people.nameOf(value)
      : /^tok_[0-9A-Za-z]+$/.test(value)
        ? (tokenNames.get(value) ?? null)
        : null;
  const actorOf = (entry: Entry) => {
    if (entry.actorType === 'system') return <span className="muted">{systemActorName(entry.actorId)}</span>;
    if (entry.actorType === 'token' && entry.actorId) {
      return (
        <>
          <span className="muted">token</span>{' '}
          {tokenNames.get(entry.actorId) ?? `${entry.actorId.slice(0, 12)}…`}
          {entry.actorUserId ? (
            <span className="muted block">of {people.nameOf(entry.actorUserId)}</span>
          ) : null}
        </>
      );
    }
    return people.nameOf(entry.actorId);
  };
  const targetOf = (entry: Entry) => {
    if (!entry.targetType || !entry.targetId) return '—';
    if (entry.targetType === 'token') {
      return tokenNames.has(entry.targetId) ? (
        <Link href={`/settings/tokens/${entry.targetId}`}>{tokenName(entry.targetId, entry.detail)}</Link>
      ) : (
        tokenName(entry.targetId, entry.detail)
      );
    }
    if (entry.targetType === 'user') return people.nameOf(entry.targetId);
    if (entry.targetType === 'organization') return 'the organisation';
    return (
      <>
        <span className="muted">{entry.targetType}</span> <code>{entry.targetId}</code>
      </>
    );
  };

  return (
    <section className="page" aria-labelledby={`${id}-title`}>
      <div className="page-header">
        <div>
          <h1 id={`${id}-title`}>Audit log</h1>
          <p className="lede">
            Every token, member, policy and billing change and every sign-in. Entries cannot be changed.
          </p>
        </div>
      </div>
      <form className="filters" onSubmit={apply} aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor={`${id}-actor`}>Who</label>
          <select
            id={`${id}-actor`}
            value={draft.actor}
            onChange={(event) => set('actor', event.target.value)}
          >
            <option value="">Anyone</option>
            {people.members.map((member) => (
              <option key={member.userId} value={member.userId}>
                {member.name} ({member.email})
              </option>
            ))}
            {(tokens.data?.data ?? []).map((token) => (
              <option key={token.id} value={token.id}>
                Token: {token.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-action`}>Action</label>
          <input
            id={`${id}-action`}
            placeholder="e.g. token or token.created"
            value={draft.action}
            onChange={(event) => set('action', event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-from`}>From</label>
          <input
            id={`${id}-from`}
            type="date"
            value={draft.from}
            onChange={(event) => set('from', event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>To</label>
          <input
            id={`${id}-to`}
            type="date"
            value={draft.to}
            onChange={(event) => set('to', event.target.value)}
          />
        </div>
        <div className="filters-actions">
          <button type="submit" className="button button-primary">
            Apply
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setDraft(EMPTY);
              setFilters(EMPTY);
              setCursors([]);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ErrorMessage error={entries.error} />
      {entries.isPending ? (
        <p className="empty" role="status">
          Loading the audit log…
        </p>
      ) : rows.length === 0 ? (
        <p className="empty">No entries match.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Audit log entries</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">IP</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((entry) => (
                <tr key={entry.id}>
                  <td className="nowrap">{formatDateTime(entry.createdAt)}</td>
                  <td>{actorOf(entry)}</td>
                  <td>
                    <code>{entry.action}</code>
                    {isSecurityEvent(entry) ? (
                      <span className="badge badge-revoked" data-testid="security-event">
                        security
                      </span>
                    ) : null}
                  </td>
                  <td>{targetOf(entry)}</td>
                  <td>{entry.ip ?? '—'}</td>
                  <td>
                    {Object.keys(entry.detail).length > 0 ? (
                      <dl className="audit-detail">
                        {detailLines(entry.detail, idName).map(([key, value]) => (
                          <div key={key}>
                            <dt>{key}</dt>
                            <dd>{value}</dd>
                          </div>
                        ))}
                      </dl>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pagination" aria-label="Audit log pages">
        <button
          type="button"
          className="button"
          disabled={cursors.length === 0}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          Newer
        </button>
        <span className="muted">Page {cursors.length + 1}</span>
        <button
          type="button"
          className="button"
          disabled={!entries.data?.nextCursor}
          onClick={() => entries.data?.nextCursor && setCursors([...cursors, entries.data.nextCursor])}
        >
          Older
        </button>
      </nav>
    </section>
  );
}
