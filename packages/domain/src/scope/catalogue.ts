import { z } from 'zod';

/** Every scope, in catalogue order (§4): the order used for display and for normalised scope lists. */
export const SCOPE_NAMES = [
  'organization:read',
  'organization:write',
  'repositories:read',
  'repositories:write',
  'reviews:read',
  'reviews:write',
  'billing:read',
  'billing:write',
  'team:read',
  'team:write',
  'webhooks:read',
  'webhooks:write',
  'audit:read',
  'wiki:read',
  'wiki:write',
  'tokens:read',
  'tokens:write',
] as const;

export type Scope = (typeof SCOPE_NAMES)[number];
export type ScopeResource = Scope extends `${infer Resource}:${string}` ? Resource : never;
export type ScopeAccess = 'read' | 'write';

export const ZScope = z.enum(SCOPE_NAMES, { error: 'Unknown scope' });

export interface ScopeDefinition {
  name: Scope;
  resource: ScopeResource;
  access: ScopeAccess;
  /** Human label used to group scopes, e.g. checkboxes in the token form. */
  category: string;
  /** What the scope lets a token do, for people choosing scopes. */
  description: string;
}

const CATEGORY_OF: Record<ScopeResource, string> = {
  organization: 'Organization',
  repositories: 'Repositories',
  reviews: 'Reviews',
  billing: 'Billing',
  team: 'Team',
  webhooks: 'Webhooks',
  audit: 'Audit log',
  wiki: 'Wiki',
  tokens: 'API tokens',
};

// A Record keyed by Scope makes the compiler insist on a description for every scope.
const DESCRIPTION_OF: Record<Scope, string> = {
  'organization:read': 'View organisation details and stats',
  'organization:write': 'Update organisation settings',
  'repositories:read': 'View repositories',
  'repositories:write': 'Add, update and remove repositories and their review settings',
  'reviews:read': 'View reviews and review stats',
  'reviews:write': 'Trigger reviews and update their status',
  'billing:read': 'View credit balance and usage',
  'billing:write': 'Purchase credits',
  'team:read': 'View members',
  'team:write': 'Add, remove and change roles of members',
  'webhooks:read': 'View events and subscriptions',
  'webhooks:write': 'Create, update and delete subscriptions',
  'audit:read': 'View the audit log',
  'wiki:read': 'View wiki pages',
  'wiki:write': 'Create and edit wiki pages',
  'tokens:read': 'List and view tokens',
  'tokens:write': 'Create, update, deactivate, rotate, revoke and delete tokens',
};

function defineScope(name: Scope): ScopeDefinition {
  const [resource, access] = name.split(':') as [ScopeResource, ScopeAccess];
  return Object.freeze({
    name,
    resource,
    access,
    category: CATEGORY_OF[resource],
    description: DESCRIPTION_OF[name],
  });
}

/** The scope catalogue of §4 as data: the single source for checks, docs, OpenAPI and the web form. */
export const SCOPES: readonly ScopeDefinition[] = Object.freeze(SCOPE_NAMES.map(defineScope));

/** Scopes a new token gets when the creator names none (before clipping to the creator's role). */
export const DEFAULT_SCOPES: readonly Scope[] = Object.freeze([
  'organization:read',
  'repositories:read',
  'reviews:read',
  'billing:read',
  'wiki:read',
  'wiki:write',
]);
