import { findUserByEmail, hasAnyOrganization } from '@tollgate/db';
import { isTollgateError, type Role, type Scope } from '@tollgate/domain';
import { verifyPassword } from './auth/password.ts';
import { purchaseCredits } from './core/billing.ts';
import { addMember } from './core/members.ts';
import { createOrganization, createUser, type SystemActor } from './core/organizations.ts';
import { createRepository } from './core/repositories.ts';
import { createToken } from './core/tokens.ts';
import type { Services } from './services.ts';

/**
 * The demo login, printed by `pnpm start` on the embedded database and by `pnpm tollgate seed --demo`. It is
 * fixed and public on purpose: the demo exists to be tried on a local machine. The server seeds it only on
 * the embedded database; on PostgreSQL (a real deployment) it never does, and the first owner is created with
 * `pnpm tollgate org create`, with a password of their own.
 */
export const DEMO_PASSWORD = 'tollgate-demo';
export const DEMO_OWNER_EMAIL = 'demo@tollgate.local';
export const DEMO_ORGANIZATION = { name: 'Acme Inc.', slug: 'acme', tier: 'standard' } as const;

/** Further demo members, one per remaining role, all with the demo password. */
const DEMO_MEMBERS: readonly { email: string; name: string; role: Role }[] = [
  { email: 'admin@tollgate.local', name: 'Ada Admin', role: 'admin' },
  { email: 'member@tollgate.local', name: 'Max Member', role: 'member' },
  { email: 'viewer@tollgate.local', name: 'Vera Viewer', role: 'viewer' },
];

/** Service tokens so that the token list is not empty; their secrets are discarded, never printed. */
const DEMO_SERVICE_TOKENS: readonly {
  name: string;
  description: string;
  environment: string;
  scopes: Scope[];
}[] = [
  {
    name: 'CI pipeline',
    description: 'Triggers reviews from the build',
    environment: 'production',
    scopes: ['repositories:read', 'reviews:write'],
  },
  {
    name: 'Finance dashboard',
    description: 'Reads credit balance and usage',
    environment: 'production',
    scopes: ['organization:read', 'billing:read'],
  },
];

/**
 * Credits the demo organisation starts with, so that its reviews can be triggered at once (each costs
 * REVIEW_CREDIT_COST), and its repository (not `acme/web`, which the README's REST example creates).
 */
export const DEMO_CREDITS = 100;
export const DEMO_REPOSITORY = { name: 'acme/api', url: 'https://git.example.com/acme/api' } as const;

export interface SeedDemoResult {
  /** false when the database already had an organisation, so nothing was seeded. */
  created: boolean;
  email: string;
  password: string;
  organizationSlug: string;
}

const SYSTEM: SystemActor = { kind: 'system' };

function isConflict(error: unknown): boolean {
  return isTollgateError(error) && error.code === 'CONFLICT';
}

/**
 * The user with this email, created with the demo password when there is none. An existing user (say, made
 * with `tollgate user create` before any organisation existed) keeps their own password.
 */
async function ensureUser(services: Services, email: string, name: string): Promise<string> {
  const existing = await findUserByEmail(services.db, email);
  if (existing) return existing.id;
  try {
    return (await createUser(services, { email, name, password: DEMO_PASSWORD })).id;
  } catch (error) {
    // Another process seeding at the same moment created it first.
    const created = isConflict(error) ? await findUserByEmail(services.db, email) : undefined;
    if (created) return created.id;
    throw error;
  }
}

/**
 * Seeds the demo organisation "Acme Inc." (slug `acme`, tier standard) with its owner demo@tollgate.local,
 * an admin, a member and a viewer (all with {@link DEMO_PASSWORD}), two service tokens, {@link DEMO_CREDITS}
 * credits and the repository {@link DEMO_REPOSITORY} — only when the
 * database has no organisation at all, so running it again, or against a real deployment, changes nothing.
 * Safe when several API processes start on one empty database: one seeds, the others report created:false.
 */
export async function seedDemo(services: Services): Promise<SeedDemoResult> {
  const result = {
    created: false,
    email: DEMO_OWNER_EMAIL,
    password: DEMO_PASSWORD,
    organizationSlug: DEMO_ORGANIZATION.slug,
  };
  if (await hasAnyOrganization(services.db)) return result;

  const ownerUserId = await ensureUser(services, DEMO_OWNER_EMAIL, 'Demo Owner');
  let organizationId: string;
  try {
    ({ id: organizationId } = await createOrganization(services, SYSTEM, {
      ...DEMO_ORGANIZATION,
      ownerUserId,
    }));
  } catch (error) {
    if (isConflict(error)) return result;
    throw error;
  }

  for (const member of DEMO_MEMBERS) {
    await ensureUser(services, member.email, member.name);
    try {
      await addMember(services, SYSTEM, { organizationId, email: member.email, role: member.role });
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
  for (const token of DEMO_SERVICE_TOKENS) {
    await createToken(services, { kind: 'system', organizationId }, { ...token, type: 'service' });
  }
  const system = { kind: 'system', organizationId } as const;
  await purchaseCredits(services, system, { amount: DEMO_CREDITS });
  await createRepository(services, system, {
    ...DEMO_REPOSITORY,
    defaultBranch: 'main',
    reviewSettings: { autoReview: true, minSeverity: 'info', ignorePaths: [] },
  });
  return { ...result, created: true };
}

/**
 * Whether the demo owner exists and still signs in with the published {@link DEMO_PASSWORD}: the start-up
 * output repeats the demo login only while it works, and warns about it on PostgreSQL, where it should not.
 */
export async function demoLoginWorks(services: Services): Promise<boolean> {
  const owner = await findUserByEmail(services.db, DEMO_OWNER_EMAIL);
  return owner !== undefined && (await verifyPassword(DEMO_PASSWORD, owner.passwordHash));
}
