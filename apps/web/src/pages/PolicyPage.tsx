import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  API_ACCESS_MODES,
  MAX_TOKEN_LIFETIME_DAYS,
  ROLES,
  type Role,
  type TOrganizationPolicy,
  ZOrganizationPolicyPatch,
} from '@tollgate/domain';
import { type FormEvent, useId, useState } from 'react';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { type RouterOutputs, useTRPC } from '../lib/trpc.ts';
import { useTitle } from '../lib/use-title.ts';

type Editable = Pick<
  TOrganizationPolicy,
  | 'tokenUseRoles'
  | 'tokenCreateRoles'
  | 'maxTokenLifetimeDays'
  | 'requireExpiry'
  | 'apiAccess'
  | 'allowedIpRanges'
>;

interface PolicyForm {
  tokenUseRoles: Role[];
  tokenCreateRoles: Role[];
  /** Days as typed; empty for no maximum. */
  maxDays: string;
  requireExpiry: boolean;
  apiAccess: TOrganizationPolicy['apiAccess'];
  /** One range per line. */
  allowedIpRanges: string;
}

const API_ACCESS_LABELS: Record<TOrganizationPolicy['apiAccess'], string> = {
  tokens_and_sessions: 'Tokens and signed-in sessions (the web app can call /api/v1 too)',
  tokens_only: 'Tokens only: the REST API refuses session cookies',
};

function formOf(policy: Editable): PolicyForm {
  return {
    tokenUseRoles: [...policy.tokenUseRoles],
    tokenCreateRoles: [...policy.tokenCreateRoles],
    maxDays: policy.maxTokenLifetimeDays === null ? '' : String(policy.maxTokenLifetimeDays),
    requireExpiry: policy.requireExpiry,
    apiAccess: policy.apiAccess,
    allowedIpRanges: policy.allowedIpRanges.join('\n'),
  };
}

/** The policy patch for the form, checked with the domain's schema; errors by field otherwise. */
export function policyPatchOf(
  form: PolicyForm,
): { ok: true; patch: Editable } | { ok: false; errors: Partial<Record<keyof PolicyForm, string>> } {
  const errors: Partial<Record<keyof PolicyForm, string>> = {};
  const ranges = form.allowedIpRanges
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const days = form.maxDays.trim();
  let maxTokenLifetimeDays: number | null = null;
  if (days !== '') {
    if (!/^\d+$/.test(days) || Number(days) < 1 || Number(days) > MAX_TOKEN_LIFETIME_DAYS)
      errors.maxDays = `A whole number of days from 1 to ${MAX_TOKEN_LIFETIME_DAYS}, or empty for no maximum.`;
    else maxTokenLifetimeDays = Number(days);
  }
  const patch: Editable = {
    tokenUseRoles: ROLES.filter((role) => form.tokenUseRoles.includes(role)),
    tokenCreateRoles: ROLES.filter((role) => form.tokenCreateRoles.includes(role)),
    maxTokenLifetimeDays,
    requireExpiry: form.requireExpiry,
    apiAccess: form.apiAccess,
    allowedIpRanges: ranges,
  };
  const parsed = ZOrganizationPolicyPatch.safeParse(patch);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [field, index] = issue.path;
      if (field === 'allowedIpRanges' && typeof index === 'number')
        errors.allowedIpRanges ??= `Line ${index + 1} (${ranges[index]}): ${issue.message}`;
      else if (typeof field === 'string' && field in form)
        errors[field as keyof PolicyForm] ??= issue.message;
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, patch };
}

function RoleBoxes({
  legend,
  hint,
  value,
  onChange,
}: {
  legend: string;
  hint: string;
  value: Role[];
  onChange: (roles: Role[]) => void;
}) {
  const id = useId();
  return (
    <fieldset className="fieldset">
      <legend>{legend}</legend>
      <p className="hint">{hint}</p>
      <div className="inline-options">
        {ROLES.map((role) => (
          <label key={role} htmlFor={`${id}-${role}`} className="inline-option">
            <input
              type="checkbox"
              id={`${id}-${role}`}
              checked={value.includes(role)}
              onChange={(event) =>
                onChange(event.target.checked ? [...value, role] : value.filter((other) => other !== role))
              }
            />
            {role}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

type Organization = RouterOutputs['organization']['get'];

function PolicyEditor({ organization }: { organization: Organization }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [form, setForm] = useState<PolicyForm>(() => formOf(organization.policy));
  const [errors, setErrors] = useState<Partial<Record<keyof PolicyForm, string>>>({});
  const update = useMutation(
    trpc.organization.update.mutationOptions({
      onSuccess: (next) => {
        queryClient.setQueryData(trpc.organization.get.queryKey(), next);
        setForm(formOf(next.policy));
      },
    }),
  );
  const set = <K extends keyof PolicyForm>(key: K, value: PolicyForm[K]) =>
    setForm((previous) => ({ ...previous, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = policyPatchOf(form);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    update.mutate({ policy: result.patch });
  };
  const error = (key: keyof PolicyForm) =>
    errors[key] ? (
      <p className="field-error" id={`${id}-${key}-error`}>
        {errors[key]}
      </p>
    ) : null;

  return (
    <form className="form card" onSubmit={submit} noValidate aria-label="Token policy">
      <RoleBoxes
        legend="Who may use tokens"
        hint="A personal token of anyone else is refused. Service tokens are not affected."
        value={form.tokenUseRoles}
        onChange={(roles) => set('tokenUseRoles', roles)}
      />
      <RoleBoxes
        legend="Who may create tokens"
        hint="Members whose role is not ticked see no Create button."
        value={form.tokenCreateRoles}
        onChange={(roles) => set('tokenCreateRoles', roles)}
      />
      <div className="form-row">
        <div className={errors.maxDays ? 'field field-invalid' : 'field'}>
          <label htmlFor={`${id}-max`}>Maximum lifetime in days (optional)</label>
          <input
            id={`${id}-max`}
            inputMode="numeric"
            value={form.maxDays}
            aria-invalid={Boolean(errors.maxDays)}
            aria-describedby={errors.maxDays ? `${id}-maxDays-error` : `${id}-max-hint`}
            onChange={(event) => set('maxDays', event.target.value)}
          />
          <p className="hint" id={`${id}-max-hint`}>
            Applies to new tokens; a token created without a date gets the maximum.
          </p>
          {error('maxDays')}
        </div>
        <div className="field">
          <span className="field-label">Expiry</span>
          <label htmlFor={`${id}-require`} className="inline-option">
            <input
              type="checkbox"
              id={`${id}-require`}
              checked={form.requireExpiry}
              onChange={(event) => set('requireExpiry', event.target.checked)}
            />
            Require an expiry date on new tokens
          </label>
        </div>
      </div>
      <fieldset className="fieldset">
        <legend>REST API access</legend>
        {API_ACCESS_MODES.map((mode) => (
          <label key={mode} htmlFor={`${id}-${mode}`} className="inline-option block">
            <input
              type="radio"
              id={`${id}-${mode}`}
              name="apiAccess"
              checked={form.apiAccess === mode}
              onChange={() => set('apiAccess', mode)}
            />
            {API_ACCESS_LABELS[mode]}
          </label>
        ))}
      </fieldset>
      <div className={errors.allowedIpRanges ? 'field field-invalid' : 'field'}>
        <label htmlFor={`${id}-ips`}>Allowed IP ranges for every token (optional)</label>
        <textarea
          id={`${id}-ips`}
          rows={3}
          spellCheck={false}
          value={form.allowedIpRanges}
          aria-invalid={Boolean(errors.allowedIpRanges)}
          aria-describedby={errors.allowedIpRanges ? `${id}-allowedIpRanges-error` : `${id}-ips-hint`}
          onChange={(event) => set('allowedIpRanges', event.target.value)}
        />
        <p className="hint" id={`${id}-ips-hint`}>
          One address or CIDR range per line, intersected with each token's own allowlist. Empty allows any.
        </p>
        {error('allowedIpRanges')}
      </div>
      <ErrorMessage error={update.error} />
      {update.isSuccess ? (
        <p className="alert alert-success" role="status">
          Policy saved.
          {update.data.tokensBeyondPolicy > 0
            ? ` ${update.data.tokensBeyondPolicy} live ${update.data.tokensBeyondPolicy === 1 ? 'token goes' : 'tokens go'} beyond it: they keep working until their own expiry; rotate or revoke them if they should not.`
            : ''}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save policy'}
        </button>
      </div>
    </form>
  );
}

/** Settings → Policy (§5), for owners and admins (organization:write). */
export function PolicyPage() {
  const trpc = useTRPC();
  const id = useId();
  useTitle('Token policy');
  const organization = useQuery(trpc.organization.get.queryOptions());
  return (
    <section className="page" aria-labelledby={`${id}-title`}>
      <div className="page-header">
        <div>
          <p className="breadcrumb">Settings</p>
          <h1 id={`${id}-title`}>Token policy</h1>
          <p className="lede">
            Rules for every token of {organization.data?.name ?? 'the organisation'}. Changes apply to new
            tokens at once; existing tokens keep the expiry they were given.
          </p>
        </div>
      </div>
      <ErrorMessage error={organization.error} />
      {organization.data ? <PolicyEditor organization={organization.data} /> : null}
      {organization.isPending ? <p role="status">Loading the policy…</p> : null}
    </section>
  );
}
