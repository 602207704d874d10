import {
  DEFAULT_SCOPES,
  type Role,
  roleAllows,
  type Scope,
  type TOrganizationPolicy,
  ZCreateTokenInput,
} from '@tollgate/domain';
import type { RouterInputs } from './trpc.ts';

export type CreateTokenInput = RouterInputs['tokens']['create'];
export type ExpiryChoice = 'none' | '7' | '30' | '90' | 'date';

/** What the create form holds, as the person typed it. */
export interface CreateTokenForm {
  name: string;
  description: string;
  scopes: ReadonlySet<Scope>;
  expiry: ExpiryChoice;
  /** YYYY-MM-DD, for expiry 'date'. */
  expiryDate: string;
  /** One address or CIDR range per line. */
  ipAllowlist: string;
  environment: string;
  /** Who the token is for: the creator, a member (`user:<id>`, admins/owners), or a service token. */
  owner: 'me' | 'service' | `user:${string}`;
}

export type CreateTokenField =
  | 'name'
  | 'description'
  | 'scopes'
  | 'expiry'
  | 'ipAllowlist'
  | 'environment'
  | 'owner';
export type CreateTokenErrors = Partial<Record<CreateTokenField, string>>;

type Policy = Pick<TOrganizationPolicy, 'maxTokenLifetimeDays' | 'requireExpiry'>;

const DAY_MS = 86_400_000;

/** The default set of §3, clipped to the creator's role as the server would clip it. */
export function defaultScopesFor(role: Role): Set<Scope> {
  return new Set(DEFAULT_SCOPES.filter((scope) => roleAllows(role, scope)));
}

export function emptyCreateTokenForm(role: Role, policy?: Policy): CreateTokenForm {
  const firstAllowed = expiryChoices(policy).find((choice) => !choice.disabled)?.value ?? 'date';
  return {
    name: '',
    description: '',
    scopes: defaultScopesFor(role),
    expiry: firstAllowed,
    expiryDate: '',
    ipAllowlist: '',
    environment: '',
    owner: 'me',
  };
}

/** The expiry options, with those the organisation's policy (§5) rules out disabled and the reason. */
export function expiryChoices(
  policy?: Policy,
): { value: ExpiryChoice; label: string; disabled: boolean; reason?: string }[] {
  const max = policy?.maxTokenLifetimeDays ?? null;
  const tooLong = (days: number) => max !== null && days > max;
  return [
    {
      value: 'none',
      label: 'No expiry',
      disabled: Boolean(policy?.requireExpiry),
      ...(policy?.requireExpiry ? { reason: 'Your organisation requires an expiry.' } : {}),
    },
    ...([7, 30, 90] as const).map((days) => ({
      value: String(days) as ExpiryChoice,
      label: `${days} days`,
      disabled: tooLong(days),
      ...(tooLong(days) ? { reason: `Longer than the ${max}-day maximum.` } : {}),
    })),
    { value: 'date', label: 'On a date…', disabled: false },
  ];
}

/** The latest expiry date the policy allows (YYYY-MM-DD), or undefined without a maximum. */
export function latestExpiryDate(policy: Policy | undefined, now: Date): string | undefined {
  const max = policy?.maxTokenLifetimeDays ?? null;
  return max === null ? undefined : new Date(now.getTime() + max * DAY_MS).toISOString().slice(0, 10);
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/**
 * Checks the form and builds the tokens.create input, with the domain's own schema (ZCreateTokenInput, ZIpRange)
 * and the organisation's expiry policy, so that what the form refuses is what the server would refuse.
 */
export function validateCreateTokenForm(
  form: CreateTokenForm,
  context: { role: Role; policy?: Policy; now?: Date },
): { ok: true; input: CreateTokenInput } | { ok: false; errors: CreateTokenErrors } {
  const errors: CreateTokenErrors = {};
  const now = context.now ?? new Date();
  const ipLines = lines(form.ipAllowlist);
  const scopes = [...form.scopes];

  if (scopes.length === 0) errors.scopes = 'Choose at least one scope.';
  const beyond = scopes.filter((scope) => !roleAllows(context.role, scope));
  if (beyond.length > 0) errors.scopes = `Your role cannot grant ${beyond.join(', ')}.`;

  const input: CreateTokenInput = {
    name: form.name,
    scopes,
    ipAllowlist: ipLines,
    ...(form.description.trim() ? { description: form.description.trim() } : {}),
    ...(form.environment.trim() ? { environment: form.environment.trim() } : {}),
  };
  if (form.owner === 'service') input.type = 'service';
  else if (form.owner.startsWith('user:')) input.subjectUserId = form.owner.slice('user:'.length);

  const choice = expiryChoices(context.policy).find((option) => option.value === form.expiry);
  if (!choice || choice.disabled) {
    errors.expiry = choice?.reason ?? 'Choose an expiry.';
  } else if (form.expiry === 'date') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.expiryDate)) {
      errors.expiry = 'Choose the expiry date.';
    } else {
      // The token stays valid through the chosen day, in the person's time zone.
      const expiresAt = new Date(`${form.expiryDate}T23:59:59`);
      const latest = latestExpiryDate(context.policy, now);
      if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= now.getTime()) {
        errors.expiry = 'The expiry date must be in the future.';
      } else if (latest !== undefined && form.expiryDate > latest) {
        errors.expiry = `Your organisation allows at most ${context.policy?.maxTokenLifetimeDays} days (until ${latest}).`;
      } else {
        input.expiresAt = expiresAt.toISOString();
      }
    }
  } else if (form.expiry !== 'none') {
    input.expiresInDays = Number(form.expiry);
  }

  const parsed = ZCreateTokenInput.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [field, index] = issue.path;
      if (field === 'ipAllowlist' && typeof index === 'number') {
        errors.ipAllowlist ??= `Line ${index + 1} (${ipLines[index]}): ${issue.message}`;
      } else if (typeof field === 'string' && field in { name: 1, description: 1, environment: 1 }) {
        errors[field as CreateTokenField] ??= issue.message;
      } else if (typeof field === 'string') {
        errors[field as CreateTokenField] ??= issue.message;
      }
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, input };
}
