import { useMutation, useQuery } from '@tanstack/react-query';
import { canManageOthersTokens, type Role } from '@tollgate/domain';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import {
  type CreateTokenErrors,
  type CreateTokenForm,
  emptyCreateTokenForm,
  expiryChoices,
  latestExpiryDate,
  type ScopeCeiling,
  validateCreateTokenForm,
  withCeiling,
} from '../lib/create-token.ts';
import { type RouterOutputs, useTRPC } from '../lib/trpc.ts';
import { Dialog } from './Dialog.tsx';
import { ErrorMessage } from './ErrorMessage.tsx';
import { ScopePicker } from './ScopePicker.tsx';

export type CreatedToken = RouterOutputs['tokens']['create'];

type Policy = RouterOutputs['organization']['get']['policy'];

export interface CreateTokenFormViewProps {
  /** The creator's role: its ceiling limits the scopes, and admins/owners may create for others. */
  creatorRole: Role;
  userId: string;
  policy?: Policy;
  /** Other members, for "on behalf of" (admins and owners only). */
  members?: { userId: string; name: string; email: string; role: Role }[];
  pending?: boolean;
  error?: unknown;
  onSubmit: (input: ReturnType<typeof validateCreateTokenForm> & { ok: true }) => void;
  onCancel: () => void;
}

function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: React.ReactNode;
}) {
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, hint: boolean, error: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/** The create form itself (no data fetching), so that it can be tested with plain props. */
export function CreateTokenFormView({
  creatorRole: role,
  userId,
  policy,
  members = [],
  pending = false,
  error,
  onSubmit,
  onCancel,
}: CreateTokenFormViewProps) {
  const id = useId();
  const [form, setForm] = useState<CreateTokenForm>(() => emptyCreateTokenForm(role, policy));
  const [errors, setErrors] = useState<CreateTokenErrors>({});
  const nameRef = useRef<HTMLInputElement>(null);
  // The dialog opens before the policy has loaded: the first field takes focus once the form is there.
  useEffect(() => nameRef.current?.focus(), []);
  const set = <K extends keyof CreateTokenForm>(key: K, value: CreateTokenForm[K]) =>
    setForm((previous) => ({ ...previous, [key]: value }));
  const subjectOf = (owner: CreateTokenForm['owner']): ScopeCeiling['subject'] => {
    if (!owner.startsWith('user:')) return undefined;
    const member = members.find((candidate) => `user:${candidate.userId}` === owner);
    return member ? { name: member.name, role: member.role } : undefined;
  };
  const subject = subjectOf(form.owner);
  const ceiling: ScopeCeiling = { creatorRole: role, subject };
  const chooseOwner = (owner: CreateTokenForm['owner']) =>
    setForm((previous) =>
      withCeiling({ ...previous, owner }, { creatorRole: role, subject: subjectOf(owner) }),
    );
  const choices = expiryChoices(policy, new Date());
  const latest = latestExpiryDate(policy, new Date());
  const today = new Date().toISOString().slice(0, 10);
  const managesOthers = canManageOthersTokens(role);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = validateCreateTokenForm(form, { role, subject, ...(policy ? { policy } : {}) });
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    onSubmit(result);
  };

  return (
    <form onSubmit={submit} noValidate className="form">
      <Field id={`${id}-name`} label="Name" error={errors.name}>
        <input
          id={`${id}-name`}
          value={form.name}
          maxLength={100}
          required
          data-autofocus
          ref={nameRef}
          aria-invalid={Boolean(errors.name)}
          aria-describedby={describedBy(`${id}-name`, false, errors.name)}
          onChange={(event) => set('name', event.target.value)}
        />
      </Field>
      <Field id={`${id}-description`} label="Description (optional)" error={errors.description}>
        <textarea
          id={`${id}-description`}
          value={form.description}
          rows={2}
          maxLength={500}
          aria-invalid={Boolean(errors.description)}
          aria-describedby={describedBy(`${id}-description`, false, errors.description)}
          onChange={(event) => set('description', event.target.value)}
        />
      </Field>
      {managesOthers ? (
        <Field
          id={`${id}-owner`}
          label="Token for"
          hint={
            form.owner === 'service'
              ? 'A service token belongs to the organisation and survives member changes.'
              : subject
                ? `The token acts as ${subject.name}: at most what a ${subject.role} may do, and it stops working if they leave.`
                : undefined
          }
          error={errors.owner}
        >
          <select
            id={`${id}-owner`}
            value={form.owner}
            aria-describedby={describedBy(`${id}-owner`, form.owner !== 'me', errors.owner)}
            onChange={(event) => chooseOwner(event.target.value as CreateTokenForm['owner'])}
          >
            <option value="me">Me (personal token)</option>
            {members
              .filter((member) => member.userId !== userId)
              .map((member) => (
                <option key={member.userId} value={`user:${member.userId}`}>
                  On behalf of {member.name} ({member.email}, {member.role})
                </option>
              ))}
            <option value="service">Service token (the organisation)</option>
          </select>
        </Field>
      ) : null}
      <ScopePicker
        role={ceiling}
        value={form.scopes}
        onChange={(scopes) => setForm((previous) => ({ ...previous, scopes, scopesTouched: true }))}
        error={errors.scopes}
      />
      <div className="form-row">
        <Field
          id={`${id}-expiry`}
          label="Expiry"
          hint={
            policy?.maxTokenLifetimeDays
              ? `Your organisation allows at most ${policy.maxTokenLifetimeDays} days.`
              : policy?.requireExpiry
                ? 'Your organisation requires an expiry.'
                : form.expiry === 'none'
                  ? 'Tokens without an expiry last until revoked.'
                  : undefined
          }
          error={errors.expiry}
        >
          <select
            id={`${id}-expiry`}
            value={form.expiry}
            aria-describedby={describedBy(
              `${id}-expiry`,
              Boolean(policy?.maxTokenLifetimeDays || policy?.requireExpiry || form.expiry === 'none'),
              errors.expiry,
            )}
            onChange={(event) => set('expiry', event.target.value as CreateTokenForm['expiry'])}
          >
            {choices.map((choice) => (
              <option key={choice.value} value={choice.value} disabled={choice.disabled}>
                {choice.label}
                {choice.reason ? ` — ${choice.reason}` : ''}
              </option>
            ))}
          </select>
        </Field>
        {form.expiry === 'date' ? (
          <Field id={`${id}-expiry-date`} label="Expiry date">
            <input
              id={`${id}-expiry-date`}
              type="date"
              min={today}
              max={latest}
              value={form.expiryDate}
              onChange={(event) => set('expiryDate', event.target.value)}
            />
          </Field>
        ) : null}
        <Field
          id={`${id}-environment`}
          label="Environment (optional)"
          hint="A label such as production or staging."
          error={errors.environment}
        >
          <input
            id={`${id}-environment`}
            value={form.environment}
            maxLength={50}
            aria-invalid={Boolean(errors.environment)}
            aria-describedby={describedBy(`${id}-environment`, true, errors.environment)}
            onChange={(event) => set('environment', event.target.value)}
          />
        </Field>
      </div>
      <Field
        id={`${id}-ips`}
        label="IP allowlist (optional)"
        hint="One IPv4 or IPv6 address or CIDR range per line, e.g. 203.0.113.7 or 10.0.0.0/8. Empty allows any address."
        error={errors.ipAllowlist}
      >
        <textarea
          id={`${id}-ips`}
          rows={3}
          value={form.ipAllowlist}
          spellCheck={false}
          aria-invalid={Boolean(errors.ipAllowlist)}
          aria-describedby={describedBy(`${id}-ips`, true, errors.ipAllowlist)}
          onChange={(event) => set('ipAllowlist', event.target.value)}
        />
      </Field>
      <div className="form-row">
        <Field
          id={`${id}-rpm`}
          label="Own limit per minute (optional)"
          hint="Lower than the organisation's limit; empty for none."
          error={errors.rateLimitPerMinute}
        >
          <input
            id={`${id}-rpm`}
            inputMode="numeric"
            value={form.rateLimitPerMinute}
            aria-invalid={Boolean(errors.rateLimitPerMinute)}
            aria-describedby={describedBy(`${id}-rpm`, true, errors.rateLimitPerMinute)}
            onChange={(event) => set('rateLimitPerMinute', event.target.value)}
          />
        </Field>
        <Field id={`${id}-rph`} label="Own limit per hour (optional)" error={errors.rateLimitPerHour}>
          <input
            id={`${id}-rph`}
            inputMode="numeric"
            value={form.rateLimitPerHour}
            aria-invalid={Boolean(errors.rateLimitPerHour)}
            aria-describedby={describedBy(`${id}-rph`, false, errors.rateLimitPerHour)}
            onChange={(event) => set('rateLimitPerHour', event.target.value)}
          />
        </Field>
      </div>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Creating…' : 'Create token'}
        </button>
      </div>
    </form>
  );
}

/** The "Create token" dialog: the form with the organisation's policy and members, then tokens.create. */
export function CreateTokenDialog({
  role,
  userId,
  onClose,
  onCreated,
}: {
  role: Role;
  userId: string;
  onClose: () => void;
  onCreated: (token: CreatedToken) => void;
}) {
  const trpc = useTRPC();
  const organization = useQuery(trpc.organization.get.queryOptions());
  const managesOthers = canManageOthersTokens(role);
  const members = useQuery({ ...trpc.members.list.queryOptions({ limit: 100 }), enabled: managesOthers });
  const create = useMutation(trpc.tokens.create.mutationOptions({ onSuccess: onCreated }));
  const ready = organization.isSuccess || organization.isError;
  return (
    <Dialog title="Create an API token" onClose={onClose} wide>
      {ready ? (
        <CreateTokenFormView
          creatorRole={role}
          userId={userId}
          {...(organization.data ? { policy: organization.data.policy } : {})}
          members={members.data?.data ?? []}
          pending={create.isPending}
          error={create.error}
          onSubmit={({ input }) => create.mutate(input)}
          onCancel={onClose}
        />
      ) : (
        <p role="status">Loading your organisation's policy…</p>
      )}
    </Dialog>
  );
}
