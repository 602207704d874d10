import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ZUpdateTokenInput } from '@tollgate/domain';
import { type FormEvent, useId, useState } from 'react';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { RevealToken } from '../components/RevealToken.tsx';
import { DeleteDialog, RevokeDialog, RotateDialog } from '../components/TokenActions.tsx';
import {
  activeState,
  Expiry,
  type ExposureReport,
  LastUsedAddresses,
  RelativeTime,
  RevokedReason,
  StatusBadge,
} from '../components/TokenBits.tsx';
import { TokenUsage } from '../components/UsageChart.tsx';
import { formatDateTime } from '../lib/format.ts';
import { ownerOf, usePeople } from '../lib/people.ts';
import { Link, navigate } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { type RouterOutputs, useTRPC, useTRPCClient } from '../lib/trpc.ts';
import { useTitle } from '../lib/use-title.ts';

export type TokenDetail = RouterOutputs['tokens']['get'];

type Open = 'rotate' | 'revoke' | 'delete' | 'edit' | { reveal: string } | null;

interface EditForm {
  name: string;
  description: string;
  environment: string;
  ipAllowlist: string;
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** The edit of §3's changeable fields, checked with the domain's schema before it is sent. */
export function TokenEditForm({
  token,
  pending,
  error,
  onSave,
  onCancel,
}: {
  token: TokenDetail;
  pending: boolean;
  error: unknown;
  onSave: (changes: {
    name: string;
    description: string | null;
    environment: string | null;
    ipAllowlist: string[];
  }) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [form, setForm] = useState<EditForm>({
    name: token.name,
    description: token.description ?? '',
    environment: token.environment ?? '',
    ipAllowlist: token.ipAllowlist.join('\n'),
  });
  const [errors, setErrors] = useState<Partial<Record<keyof EditForm, string>>>({});
  const set = (key: keyof EditForm, value: string) => setForm((previous) => ({ ...previous, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const ips = lines(form.ipAllowlist);
    const changes = {
      name: form.name,
      description: form.description.trim() || null,
      environment: form.environment.trim() || null,
      ipAllowlist: ips,
    };
    const parsed = ZUpdateTokenInput.safeParse(changes);
    if (!parsed.success) {
      const next: Partial<Record<keyof EditForm, string>> = {};
      for (const issue of parsed.error.issues) {
        const [field, index] = issue.path;
        if (field === 'ipAllowlist' && typeof index === 'number')
          next.ipAllowlist ??= `Line ${index + 1} (${ips[index]}): ${issue.message}`;
        else if (field === 'name' && issue.code === 'too_big') next.name ??= 'At most 100 characters.';
        else if (typeof field === 'string') next[field as keyof EditForm] ??= issue.message;
      }
      setErrors(next);
      return;
    }
    setErrors({});
    onSave(changes);
  };
  const field = (key: keyof EditForm, label: string, control: React.ReactNode, hint?: string) => (
    <div className={errors[key] ? 'field field-invalid' : 'field'}>
      <label htmlFor={`${id}-${key}`}>{label}</label>
      {control}
      {hint ? <p className="hint">{hint}</p> : null}
      {errors[key] ? (
        <p className="field-error" id={`${id}-${key}-error`}>
          {errors[key]}
        </p>
      ) : null}
    </div>
  );
  const common = (key: keyof EditForm) => ({
    id: `${id}-${key}`,
    value: form[key],
    'aria-invalid': Boolean(errors[key]),
    'aria-describedby': errors[key] ? `${id}-${key}-error` : undefined,
    onChange: (event: { target: { value: string } }) => set(key, event.target.value),
  });
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Edit token">
      {field('name', 'Name', <input {...common('name')} maxLength={100} />)}
      {field('description', 'Description', <textarea {...common('description')} rows={2} maxLength={500} />)}
      {field('environment', 'Environment', <input {...common('environment')} maxLength={50} />)}
      {field(
        'ipAllowlist',
        'IP allowlist',
        <textarea {...common('ipAllowlist')} rows={3} spellCheck={false} />,
        'One address or CIDR range per line; empty allows any address.',
      )}
      <p className="hint">Scopes never change: to change them, create a new token.</p>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Saving…' : 'Save changes'}
        </button>
      </div>
    </form>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="detail-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** A token's own page (§10): every field, who created it and for whom, rotation state, edit, usage. */
export function TokenPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const { session } = useSession();
  const people = usePeople();
  const [open, setOpen] = useState<Open>(null);
  const token = useQuery(trpc.tokens.get.queryOptions({ id }));
  const organization = useQuery(trpc.organization.get.queryOptions());
  useTitle(token.data ? `${token.data.name} · API tokens` : 'API token');
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tokens.pathKey() });
  const canWrite = session.scopes.includes('tokens:write');
  // Where an exposed token was found is in its token.revoked audit entry, for those who may read the log.
  const exposed = token.data?.revokedReason === 'exposed' && session.scopes.includes('audit:read');
  const revocation = useQuery({
    ...trpc.audit.list.queryOptions({ target: id, action: 'token.revoked', limit: 1 }),
    enabled: exposed,
  });
  const detail = revocation.data?.data[0]?.detail;
  const report: ExposureReport | null = detail
    ? {
        reportedBy: typeof detail.reportedBy === 'string' ? detail.reportedBy : null,
        url: typeof detail.url === 'string' ? detail.url : null,
        source: typeof detail.source === 'string' ? detail.source : null,
      }
    : null;

  const update = useMutation(
    trpc.tokens.update.mutationOptions({
      onSuccess: () => {
        void refresh();
        setOpen(null);
      },
    }),
  );
  const endGrace = useMutation(trpc.tokens.endGrace.mutationOptions({ onSuccess: () => void refresh() }));
  const setActive = useMutation({
    mutationFn: (active: boolean) =>
      active ? client.tokens.reactivate.mutate({ id }) : client.tokens.deactivate.mutate({ id }),
    onSettled: refresh,
  });

  if (token.isPending) {
    return (
      <p className="empty" role="status">
        Loading the token…
      </p>
    );
  }
  if (token.isError) {
    return (
      <section className="page">
        <p className="breadcrumb">
          <Link href="/settings/tokens">API tokens</Link>
        </p>
        <ErrorMessage error={token.error} />
      </section>
    );
  }
  const t = token.data;
  const { checked, final } = activeState(t);
  const limits = organization.data?.rateLimits;

  return (
    <section className="page" aria-labelledby="token-title">
      <div className="page-header">
        <div>
          <p className="breadcrumb">
            <Link href="/settings/tokens">API tokens</Link> /
          </p>
          <h1 id="token-title">
            {t.name} <StatusBadge status={t.status} />
          </h1>
          {t.description ? <p className="lede">{t.description}</p> : null}
        </div>
        {canWrite ? (
          <div className="row-actions">
            <button
              type="button"
              role="switch"
              className="switch"
              aria-checked={checked}
              aria-label="Active"
              disabled={final}
              aria-disabled={setActive.isPending || undefined}
              onClick={() => {
                if (!setActive.isPending) setActive.mutate(!t.active);
              }}
            >
              <span className="switch-thumb" />
            </button>
            <button
              type="button"
              className="button button-small"
              disabled={t.status === 'revoked'}
              onClick={() => setOpen('edit')}
            >
              Edit
            </button>
            <button
              type="button"
              className="button button-small"
              disabled={final}
              onClick={() => setOpen('rotate')}
            >
              Rotate
            </button>
            <button
              type="button"
              className="button button-small"
              disabled={t.status === 'revoked'}
              onClick={() => setOpen('revoke')}
            >
              Revoke
            </button>
            <button
              type="button"
              className="button button-small button-danger"
              onClick={() => setOpen('delete')}
            >
              Delete
            </button>
          </div>
        ) : null}
      </div>
      <ErrorMessage error={setActive.error ?? endGrace.error} />

      {open === 'edit' ? (
        <div className="card">
          <h2>Edit</h2>
          <TokenEditForm
            token={t}
            pending={update.isPending}
            error={update.error}
            onSave={(changes) => update.mutate({ id, ...changes })}
            onCancel={() => setOpen(null)}
          />
        </div>
      ) : null}

      {t.previousSecretExpiresAt ? (
        <div className="alert alert-warning" role="status" data-testid="rotation-state">
          <p>
            Rotated: the previous secret still works until{' '}
            <strong>{formatDateTime(t.previousSecretExpiresAt)}</strong> (
            <RelativeTime iso={t.previousSecretExpiresAt} />
            ).
          </p>
          {canWrite ? (
            <button
              type="button"
              className="button button-small"
              disabled={endGrace.isPending}
              onClick={() => endGrace.mutate({ id })}
            >
              End grace now
            </button>
          ) : null}
        </div>
      ) : null}

      <div className="detail-grid">
        <div className="card">
          <h2>Details</h2>
          <dl className="details">
            <Row label="Prefix">
              <code>{t.prefix}…</code>
            </Row>
            <Row label="Id">
              <code>{t.id}</code>
            </Row>
            <Row label="Type">{t.type}</Row>
            <Row label="For">{ownerOf(t, people.nameOf)}</Row>
            <Row label="Created by">{people.nameOf(t.createdByUserId)}</Row>
            <Row label="Created">
              {formatDateTime(t.createdAt)} (<RelativeTime iso={t.createdAt} />)
            </Row>
            <Row label="Updated">
              <RelativeTime iso={t.updatedAt} />
            </Row>
            <Row label="Environment">{t.environment ?? <span className="muted">none</span>}</Row>
            <Row label="Expires">
              <Expiry token={t} />
            </Row>
            {t.revokedAt ? <Row label="Revoked">{formatDateTime(t.revokedAt)}</Row> : null}
            {t.revokedReason ? (
              <Row label="Why">
                <RevokedReason reason={t.revokedReason} report={report} />
              </Row>
            ) : null}
            <Row label="Last used">
              {t.lastUsedAt ? (
                <>
                  <RelativeTime iso={t.lastUsedAt} /> from <code>{t.lastUsedIp ?? 'unknown'}</code>
                </>
              ) : (
                <span className="muted">never</span>
              )}
            </Row>
            <Row label="Recent addresses">
              <LastUsedAddresses addresses={t.lastUsedIps} />
            </Row>
          </dl>
        </div>
        <div className="card">
          <h2>Access</h2>
          <dl className="details">
            <Row label="Scopes">
              <ul className="chips" aria-label="Scopes">
                {t.scopes.map((scope) => (
                  <li key={scope} className="chip">
                    {scope}
                  </li>
                ))}
              </ul>
            </Row>
            <Row label="IP allowlist">
              {t.ipAllowlist.length > 0 ? (
                <ul className="plain-list" data-testid="ip-allowlist">
                  {t.ipAllowlist.map((range) => (
                    <li key={range}>
                      <code>{range}</code>
                    </li>
                  ))}
                </ul>
              ) : (
                <span className="muted" data-testid="ip-allowlist">
                  any address
                </span>
              )}
            </Row>
            <Row label="Own rate limit">
              {t.rateLimitPerMinute === null && t.rateLimitPerHour === null ? (
                <span className="muted">none: the organisation's limits apply</span>
              ) : (
                <>
                  {t.rateLimitPerMinute !== null ? `${t.rateLimitPerMinute} a minute` : null}
                  {t.rateLimitPerMinute !== null && t.rateLimitPerHour !== null ? ', ' : null}
                  {t.rateLimitPerHour !== null ? `${t.rateLimitPerHour} an hour` : null}
                </>
              )}
            </Row>
            {limits ? (
              <Row label="Organisation limit">
                {limits.perMinute} a minute, {limits.perHour} an hour (shared by all its tokens)
              </Row>
            ) : null}
          </dl>
        </div>
      </div>

      <div className="card">
        <h2>Requests per day</h2>
        <TokenUsage tokenId={id} />
      </div>

      {open === 'rotate' ? (
        <RotateDialog
          token={t}
          onClose={() => setOpen(null)}
          onRotated={(rotated) => {
            void refresh();
            setOpen({ reveal: rotated.token });
          }}
        />
      ) : null}
      {typeof open === 'object' && open !== null ? (
        <RevealToken title="Token rotated" name={t.name} token={open.reveal} onClose={() => setOpen(null)} />
      ) : null}
      {open === 'revoke' ? (
        <RevokeDialog
          token={t}
          onClose={() => setOpen(null)}
          onDone={() => {
            void refresh();
            setOpen(null);
          }}
        />
      ) : null}
      {open === 'delete' ? (
        <DeleteDialog
          token={t}
          onClose={() => setOpen(null)}
          onDone={() => {
            void refresh();
            navigate('/settings/tokens');
          }}
        />
      ) : null}
    </section>
  );
}
