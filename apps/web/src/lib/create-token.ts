import {
  DEFAULT_SCOPES,
  type Role,
  resolveTokenExpiry,
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
  /** Whether the person changed the ticked scopes; until then they follow the default set of whoever the token is for. */
  scopesTouched: boolean;
  expiry: ExpiryChoice;
  /** YYYY-MM-DD, for expiry 'date'. */
  expiryDate: string;
  /** One address or CIDR range per line. */
  ipAllowlist: string;
  environment: string;
  /** The token's own limits (§6), lower than the organisation's; empty for none. */
  rateLimitPerMinute: string;
  rateLimitPerHour: string;
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
  | 'rateLimitPerMinute'
  | 'rateLimitPerHour'
  | 'owner';
export type CreateTokenErrors = Partial<Record<CreateTokenField, string>>;

type Policy = Pick<TOrganizationPolicy, 'maxTokenLifetimeDays' | 'requireExpiry'>;
const NO_POLICY: Policy = { maxTokenLifetimeDays: null, requireExpiry: false };

/** Whose ceilings bound a new token's scopes: the creator's role, and for a token on behalf of a member, theirs. */
export interface ScopeCeiling {
  creatorRole: Role;
  /** The member the token is for, when it is not the creator's own nor a service token. */
  subject?: { name: string; role: Role } | undefined;
}

/** Whether the token may carry `scope` (the server refuses anything beyond either role, §3). */
export function ceilingAllows(ceiling: ScopeCeiling, scope: Scope): boolean {
  return (
    roleAllows(ceiling.creatorRole, scope) &&
    (ceiling.subject === undefined || roleAllows(ceiling.subject.role, scope))
  );
}

/** The default set of §3, clipped to the ceiling as the server clips it. */
export function defaultScopesFor(ceiling: ScopeCeiling | Role): Set<Scope> {
  const bound = typeof ceiling === 'string' ? { creatorRole: ceiling } : ceiling;
  return new Set(DEFAULT_SCOPES.filter((scope) => ceilingAllows(bound, scope)));
}

/**
 * The form once the ceiling changed (another "Token for" chosen): untouched scopes become that ceiling's
 * defaults; scopes the person chose keep what is still allowed.
 */
export function withCeiling(form: CreateTokenForm, ceiling: ScopeCeiling): CreateTokenForm {
  const scopes = form.scopesTouched
    ? new Set([...form.scopes].filter((scope) => ceilingAllows(ceiling, scope)))
    : defaultScopesFor(ceiling);
  return { ...form, scopes };
}

export function emptyCreateTokenForm(role: Role, policy?: Policy, now: Date = new Date()): CreateTokenForm {
  const firstAllowed = expiryChoices(policy, now).find((choice) => !choice.disabled)?.value ?? 'date';
  return {
    name: '',
    description: '',
    scopes: defaultScopesFor(role),
    scopesTouched: false,
    expiry: firstAllowed,
    expiryDate: '',
    ipAllowlist: '',
    environment: '',
    rateLimitPerMinute: '',
    rateLimitPerHour: '',
    owner: 'me',
  };
}

const DAY_MS = 86_400_000;

/**
 * The expiry options, each checked with the domain's resolveTokenExpiry (what the server applies), so those the
 * organisation's policy (§5) rules out are disabled with the reason. "No expiry" under a maximum lifetime
 * without a required expiry gets the maximum, and says so.
 */
export function expiryChoices(
  policy: Policy = NO_POLICY,
  now: Date = new Date(),
): { value: ExpiryChoice; label: string; disabled: boolean; reason?: string }[] {
  const none = resolveTokenExpiry({ policy, now });
  const noneLabel =
    none.ok && none.expiresAt !== null
      ? `No date: the maximum, ${Math.round((none.expiresAt.getTime() - now.getTime()) / DAY_MS)} days`
      : 'No expiry';
  return [
    {
      value: 'none',
      label: noneLabel,
      disabled: !none.ok,
      ...(none.ok ? {} : { reason: 'Your organisation requires an expiry.' }),
    },
    ...([7, 30, 90] as const).map((days) => {
      const result = resolveTokenExpiry({ policy, now, expiresInDays: days });
      return {
        value: String(days) as ExpiryChoice,
        label: `${days} days`,
        disabled: !result.ok,
        ...(result.ok ? {} : { reason: `Longer than the ${policy.maxTokenLifetimeDays}-day maximum.` }),
      };
    }),
    { value: 'date', label: 'On a date…', disabled: false },
  ];
}

/** The latest expiry date the policy allows (YYYY-MM-DD), for the date picker's bound; undefined without a maximum. */
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

/** What a person reads when a chosen date is refused, by the domain's reason. */
function dateRefusal(reason: string, policy: Policy, latest: string | undefined): string {
  switch (reason) {
    case 'not_future':
      return 'The expiry date must be in the future.';
    case 'too_long':
      return `Your organisation allows at most ${policy.maxTokenLifetimeDays} days (until ${latest}).`;
    default:
      return 'Choose the expiry date.';
  }
}

function parseLimit(text: string): number | undefined | null {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^\d+$/.test(trimmed) && Number(trimmed) > 0 ? Number(trimmed) : null;
}

/**
 * Checks the form and builds the tokens.create input, with the domain's own schema (ZCreateTokenInput), its
 * expiry rules (resolveTokenExpiry) and role ceilings, so that what the form refuses is what the server would
 * refuse, worded for the form.
 */
export function validateCreateTokenForm(
  form: CreateTokenForm,
  context: { role: Role; subject?: ScopeCeiling['subject']; policy?: Policy; now?: Date },
): { ok: true; input: CreateTokenInput } | { ok: false; errors: CreateTokenErrors } {
  const errors: CreateTokenErrors = {};
  const now = context.now ?? new Date();
  const policy = context.policy ?? NO_POLICY;
  const ipLines = lines(form.ipAllowlist);
  const scopes = [...form.scopes];
  const ceiling: ScopeCeiling = { creatorRole: context.role, subject: context.subject };

  if (scopes.length === 0) errors.scopes = 'Choose at least one scope.';
  const beyond = scopes.filter((scope) => !ceilingAllows(ceiling, scope));
  if (beyond.length > 0) {
    errors.scopes = context.subject
      ? `${context.subject.name} (${context.subject.role}) or your role cannot hold ${beyond.join(', ')}.`
      : `Your role cannot grant ${beyond.join(', ')}.`;
  }

  const input: CreateTokenInput = {
    name: form.name,
    scopes,
    ipAllowlist: ipLines,
    ...(form.description.trim() ? { description: form.description.trim() } : {}),
    ...(form.environment.trim() ? { environment: form.environment.trim() } : {}),
  };
  if (form.owner === 'service') input.type = 'service';
  else if (form.owner.startsWith('user:')) input.subjectUserId = form.owner.slice('user:'.length);

  for (const field of ['rateLimitPerMinute', 'rateLimitPerHour'] as const) {
    const limit = parseLimit(form[field]);
    if (limit === null) errors[field] = 'A whole number of requests, at least 1 (or empty for none).';
    else if (limit !== undefined) input[field] = limit;
  }

  const choice = expiryChoices(policy, now).find((option) => option.value === form.expiry);
  if (!choice || choice.disabled) {
    errors.expiry = choice?.reason ?? 'Choose an expiry.';
  } else if (form.expiry === 'date') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.expiryDate)) {
      errors.expiry = 'Choose the expiry date.';
    } else {
      // The token stays valid through the chosen day, in the person's time zone.
      const expiresAt = new Date(`${form.expiryDate}T23:59:59`);
      const result = resolveTokenExpiry({ policy, now, expiresAt });
      if (result.ok) input.expiresAt = expiresAt.toISOString();
      else errors.expiry = dateRefusal(result.reason, policy, latestExpiryDate(policy, now));
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
      } else if (field === 'name' && issue.code === 'too_big') {
        errors.name ??= 'At most 100 characters.';
      } else if (field === 'subjectUserId' || field === 'type') {
        errors.owner ??= 'Choose whom the token is for again.';
      } else if (typeof field === 'string') {
        errors[field as CreateTokenField] ??= issue.message;
      }
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, input };
}
