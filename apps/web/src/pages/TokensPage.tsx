import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { TOKEN_STATUSES, type TTokenStatus, type TTokenType } from '@tollgate/domain';
import { useId, useState } from 'react';
import { type CreatedToken, CreateTokenDialog } from '../components/CreateTokenDialog.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { RevealToken } from '../components/RevealToken.tsx';
import { DeleteDialog, RevokeDialog, RotateDialog } from '../components/TokenActions.tsx';
import { activeState, Expiry, RelativeTime, StatusBadge } from '../components/TokenBits.tsx';
import {
  DEFAULT_TOKEN_SORT,
  SortableHeader,
  type TokenSort,
  tokenCountText,
} from '../components/TokenSort.tsx';
import { TokenUsage } from '../components/UsageChart.tsx';
import { formatDateTime } from '../lib/format.ts';
import { ownerOf, usePeople } from '../lib/people.ts';
import { Link } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { searchTextOf } from '../lib/token-search.ts';
import { type RouterOutputs, useTRPC, useTRPCClient } from '../lib/trpc.ts';
import { useDebounced } from '../lib/use-debounced.ts';
import { useTitle } from '../lib/use-title.ts';

type Token = RouterOutputs['tokens']['list']['data'][number];

type Open =
  | { kind: 'create' }
  | { kind: 'rotate' | 'revoke' | 'delete' | 'usage'; token: Token }
  | { kind: 'reveal'; title: string; name: string; secret: string }
  | null;

function ScopeChips({ scopes }: { scopes: readonly string[] }) {
  const shown = scopes.slice(0, 3);
  const more = scopes.length - shown.length;
  return (
    <ul className="chips" aria-label={`Scopes: ${scopes.join(', ') || 'none'}`}>
      {shown.map((scope) => (
        <li key={scope} className="chip">
          {scope}
        </li>
      ))}
      {more > 0 ? (
        <li className="chip chip-more" title={scopes.slice(3).join(', ')}>
          +{more} more
        </li>
      ) : null}
      {scopes.length === 0 ? <li className="chip chip-more">none</li> : null}
    </ul>
  );
}

/** Settings → API Tokens: the table, its filters, create, the one-time reveal and every lifecycle action. */
export function TokensPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { session } = useSession();
  const id = useId();
  const [status, setStatus] = useState<TTokenStatus | ''>('');
  const [type, setType] = useState<TTokenType | ''>('');
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const q = useDebounced(searchTextOf(text));
  const [open, setOpen] = useState<Open>(null);
  const [sort, setSort] = useState<TokenSort>(DEFAULT_TOKEN_SORT);
  useTitle('API tokens');
  const people = usePeople();
  const organization = useQuery(trpc.organization.get.queryOptions());

  const filters = {
    limit: 20,
    sort: sort.sort,
    order: sort.order,
    ...(status ? { status } : {}),
    ...(type ? { type } : {}),
    ...(subject ? { subjectUserId: subject } : {}),
    ...(q ? { q } : {}),
  };
  const tokens = useInfiniteQuery(
    trpc.tokens.list.infiniteQueryOptions(filters, { getNextPageParam: (page) => page.nextCursor }),
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tokens.pathKey() });

  const client = useTRPCClient();
  const setActive = useMutation({
    mutationKey: ['tokens', 'setActive'],
    mutationFn: ({ token, active }: { token: Token; active: boolean }) =>
      active
        ? client.tokens.reactivate.mutate({ id: token.id })
        : client.tokens.deactivate.mutate({ id: token.id }),
    onSettled: refresh,
  });

  const rows = tokens.data?.pages.flatMap((page) => page.data) ?? [];
  // Every page carries the count of all matches; the latest one is the freshest.
  const total = tokens.data?.pages.at(-1)?.total ?? rows.length;
  const role = session.role;
  const filtered = Boolean(status || type || subject || q);
  // Creating needs tokens:write and a role the organisation's policy lets create tokens (§5).
  const mayCreate =
    role !== null &&
    session.scopes.includes('tokens:write') &&
    (organization.data?.policy.tokenCreateRoles.includes(role) ?? true);
  const managesOthers = role === 'owner' || role === 'admin';

  const onCreated = (created: CreatedToken) => {
    void refresh();
    setOpen({ kind: 'reveal', title: 'Token created', name: created.name, secret: created.token });
  };

  return (
    <section className="page" aria-labelledby={`${id}-title`}>
      <div className="page-header">
        <div>
          <p className="breadcrumb">Settings</p>
          <h1 id={`${id}-title`}>API tokens</h1>
          <p className="lede">
            Tokens let scripts and services call the Tollgate API. Each one carries only the scopes you give
            it.
          </p>
        </div>
        {mayCreate ? (
          <button type="button" className="button button-primary" onClick={() => setOpen({ kind: 'create' })}>
            Create token
          </button>
        ) : null}
      </div>

      <form className="filters" onSubmit={(event) => event.preventDefault()} aria-label="Filter tokens">
        <div className="field">
          <label htmlFor={`${id}-status`}>Status</label>
          <select
            id={`${id}-status`}
            value={status}
            onChange={(event) => setStatus(event.target.value as TTokenStatus | '')}
          >
            <option value="">All statuses</option>
            {TOKEN_STATUSES.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-type`}>Type</label>
          <select
            id={`${id}-type`}
            value={type}
            onChange={(event) => setType(event.target.value as TTokenType | '')}
          >
            <option value="">All types</option>
            <option value="personal">personal</option>
            <option value="service">service</option>
          </select>
        </div>
        {managesOthers ? (
          <div className="field">
            <label htmlFor={`${id}-subject`}>Member</label>
            <select id={`${id}-subject`} value={subject} onChange={(event) => setSubject(event.target.value)}>
              <option value="">Everyone</option>
              {people.members.map((member) => (
                <option key={member.userId} value={member.userId}>
                  {member.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field field-grow">
          <label htmlFor={`${id}-q`}>Search</label>
          <input
            id={`${id}-q`}
            type="search"
            placeholder="Name, description, prefix (tgp_…) or id"
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
      </form>

      <ErrorMessage error={setActive.error ?? tokens.error} />

      {tokens.isPending ? (
        <p className="empty" role="status">
          Loading tokens…
        </p>
      ) : rows.length === 0 ? (
        <div className="empty">
          <p>
            <strong>{filtered ? 'No token matches these filters.' : 'No tokens yet.'}</strong>
          </p>
          <p>
            {filtered
              ? 'Change or clear the filters.'
              : mayCreate
                ? 'Create one to call the API from a script or service.'
                : 'An owner or admin can create a token for you.'}
          </p>
        </div>
      ) : (
        <div className="table-wrap">
          <p className="table-count muted" role="status">
            {tokenCountText(total, filtered, sort)}
            {rows.length < total ? ` (${rows.length.toLocaleString('en')} shown)` : ''}
          </p>
          <table className="table tokens-table">
            <caption className="visually-hidden">API tokens</caption>
            <thead>
              <tr>
                <SortableHeader field="name" label="Name" sort={sort} onSort={setSort} />
                <th scope="col">Prefix</th>
                <th scope="col">Owner</th>
                <th scope="col">Environment</th>
                <th scope="col">Scopes</th>
                <SortableHeader field="createdAt" label="Created" sort={sort} onSort={setSort} />
                <SortableHeader field="lastUsedAt" label="Last used" sort={sort} onSort={setSort} />
                <SortableHeader field="expiresAt" label="Expires" sort={sort} onSort={setSort} />
                <th scope="col">Status</th>
                <th scope="col">Active</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((token) => {
                const { checked, final } = activeState(token);
                const revoked = token.status === 'revoked';
                return (
                  <tr key={token.id} data-token-id={token.id}>
                    <th scope="row" className="sticky-column">
                      <Link className="token-name" href={`/settings/tokens/${token.id}`}>
                        {token.name}
                      </Link>
                      {token.description ? (
                        <span className="token-description">{token.description}</span>
                      ) : null}
                    </th>
                    <td>
                      <code>{token.prefix}…</code>
                    </td>
                    <td>
                      {ownerOf(token, people.nameOf)}
                      <span className="muted block">{token.type}</span>
                    </td>
                    <td>{token.environment ?? '—'}</td>
                    <td>
                      <ScopeChips scopes={token.scopes} />
                    </td>
                    <td>
                      <RelativeTime iso={token.createdAt} />
                    </td>
                    <td>
                      {token.lastUsedAt ? (
                        <>
                          <RelativeTime iso={token.lastUsedAt} />
                          <span className="muted"> from {token.lastUsedIp ?? 'unknown'}</span>
                        </>
                      ) : (
                        <span className="muted">Never</span>
                      )}
                    </td>
                    <td>
                      <Expiry token={token} />
                    </td>
                    <td>
                      <StatusBadge status={token.status} />
                    </td>
                    <td>
                      <button
                        type="button"
                        role="switch"
                        className="switch"
                        aria-checked={checked}
                        aria-label={`Active: ${token.name}`}
                        title={final ? `A ${token.status} token cannot be turned on again.` : undefined}
                        // Never disabled while a change is on its way: a disabled button drops the focus.
                        disabled={final}
                        aria-disabled={setActive.isPending || undefined}
                        onClick={() => {
                          if (!setActive.isPending) setActive.mutate({ token, active: !token.active });
                        }}
                      >
                        <span className="switch-thumb" />
                      </button>
                    </td>
                    <td>
                      <div className="row-actions">
                        <button
                          type="button"
                          className="button button-small"
                          onClick={() => setOpen({ kind: 'usage', token })}
                          aria-label={`Usage of ${token.name}`}
                        >
                          Usage
                        </button>
                        <button
                          type="button"
                          className="button button-small"
                          disabled={final}
                          title={
                            final ? `A ${token.status} token cannot be rotated: create a new one.` : undefined
                          }
                          onClick={() => setOpen({ kind: 'rotate', token })}
                          aria-label={`Rotate ${token.name}`}
                        >
                          Rotate
                        </button>
                        <button
                          type="button"
                          className="button button-small"
                          disabled={revoked}
                          onClick={() => setOpen({ kind: 'revoke', token })}
                          aria-label={`Revoke ${token.name}`}
                        >
                          Revoke
                        </button>
                        <button
                          type="button"
                          className="button button-small button-danger"
                          onClick={() => setOpen({ kind: 'delete', token })}
                          aria-label={`Delete ${token.name}`}
                        >
                          Delete
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {tokens.hasNextPage ? (
        <button
          type="button"
          className="button"
          disabled={tokens.isFetchingNextPage}
          onClick={() => void tokens.fetchNextPage()}
        >
          {tokens.isFetchingNextPage ? 'Loading…' : 'Load more tokens'}
        </button>
      ) : null}

      {open?.kind === 'create' && role ? (
        <CreateTokenDialog
          role={role}
          userId={session.user.id}
          onClose={() => setOpen(null)}
          onCreated={onCreated}
        />
      ) : null}
      {open?.kind === 'reveal' ? (
        <RevealToken title={open.title} name={open.name} token={open.secret} onClose={() => setOpen(null)} />
      ) : null}
      {open?.kind === 'rotate' ? (
        <RotateDialog
          token={open.token}
          onClose={() => setOpen(null)}
          onRotated={(rotated) => {
            void refresh();
            setOpen({ kind: 'reveal', title: 'Token rotated', name: rotated.name, secret: rotated.token });
          }}
        />
      ) : null}
      {open?.kind === 'revoke' ? (
        <RevokeDialog
          token={open.token}
          onClose={() => setOpen(null)}
          onDone={() => {
            void refresh();
            setOpen(null);
          }}
        />
      ) : null}
      {open?.kind === 'delete' ? (
        <DeleteDialog
          token={open.token}
          onClose={() => setOpen(null)}
          onDone={() => {
            void refresh();
            setOpen(null);
          }}
        />
      ) : null}
      {open?.kind === 'usage' ? (
        <Dialog title={`Usage of “${open.token.name}”`} onClose={() => setOpen(null)} wide>
          <p>
            Last used:{' '}
            {open.token.lastUsedAt
              ? `${formatDateTime(open.token.lastUsedAt)} from ${open.token.lastUsedIp ?? 'an unknown address'}`
              : 'never'}
          </p>
          <TokenUsage tokenId={open.token.id} />
        </Dialog>
      ) : null}
    </section>
  );
}
