import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { formatDateTime } from '../lib/format.ts';
import { type RouterInputs, useTRPC } from '../lib/trpc.ts';
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
          <label htmlFor={`${id}-actor`}>Actor (user or token id)</label>
          <input
            id={`${id}-actor`}
            value={draft.actor}
            onChange={(event) => set('actor', event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-action`}>Action</label>
          <input
            id={`${id}-action`}
            placeholder="e.g. token.created"
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
                  <td>
                    <span className="muted">{entry.actorType}</span> <code>{entry.actorId ?? 'system'}</code>
                  </td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>
                    {entry.targetType ? (
                      <>
                        <span className="muted">{entry.targetType}</span> <code>{entry.targetId}</code>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{entry.ip ?? '—'}</td>
                  <td>
                    {Object.keys(entry.detail).length > 0 ? (
                      <code className="detail">{JSON.stringify(entry.detail)}</code>
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
