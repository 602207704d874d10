import { TIER_NAMES, TollgateError, ZTier } from '@tollgate/domain';
import type { OrganizationObject } from '../../core/organizations.ts';
import { defineCommand, JSON_DETAIL, JSON_OPTION } from '../command.ts';

export const orgCreateCommand = defineCommand({
  name: 'org create',
  synopsis: `--name <name> --slug <slug> [--tier ${TIER_NAMES.join('|')}] --owner-email <email> (--owner-password <password> | --owner-password-stdin) [--json]`,
  summary: 'Create an organisation with its owner.',
  options: {
    name: { type: 'string' },
    slug: { type: 'string' },
    tier: { type: 'string' },
    'owner-email': { type: 'string' },
    'owner-password': { type: 'string' },
    'owner-password-stdin': { type: 'boolean' },
    ...JSON_OPTION,
  },
  details: [
    '--tier                 rate-limit tier (default free)',
    '--owner-email          a new email creates the owner user with --owner-password; an existing',
    '                       user becomes the owner only if --owner-password is their current password;',
    "                       a new owner's name is the part of the email before @",
    '--owner-password-stdin read the password from the first line of standard input instead, so that',
    '                       it stays out of the shell history and the process list',
    JSON_DETAIL,
  ],
  parse(args) {
    const tier = args.choice('tier', ZTier, 'tier');
    return {
      json: args.json,
      name: args.required('name'),
      slug: args.required('slug'),
      tier,
      ownerEmail: args.required('owner-email'),
      ownerPassword: args.password('owner-password'),
    };
  },
  async run({ services: servicesOf, io, print }, input) {
    const { findOrganizationBySlug, findUserByEmail } = await import('@tollgate/db');
    const { verifyPassword } = await import('../../auth/password.ts');
    const { createOrganization, createOrganizationWithNewOwner, ZOrganizationName, ZOrganizationSlug } =
      await import('../../core/organizations.ts');
    const { check, passwordOf, SYSTEM } = await import('../lookups.ts');
    const services = servicesOf();

    // A bad name or a taken slug is refused before a password is read or checked.
    check(ZOrganizationName, input.name, 'name');
    check(ZOrganizationSlug, input.slug, 'slug');
    if (await findOrganizationBySlug(services.db, input.slug)) {
      throw new TollgateError('CONFLICT', `The slug "${input.slug}" is already taken.`);
    }
    const ownerPassword = await passwordOf(input.ownerPassword, io, 'owner-password');
    // An existing user becomes the owner only when the password given is theirs: otherwise the operator
    // would believe the owner signs in with a password that was silently ignored.
    const existing = await findUserByEmail(services.db, input.ownerEmail);
    let organization: OrganizationObject;
    let owner: { id: string; email: string; name: string; created: boolean };
    const fields = { name: input.name, slug: input.slug, tier: input.tier };
    if (existing) {
      if (!(await verifyPassword(ownerPassword, existing.passwordHash))) {
        throw new TollgateError(
          'CONFLICT',
          `A user with the email ${existing.email} already exists and --owner-password is not their password.`,
        );
      }
      owner = { id: existing.id, email: existing.email, name: existing.name, created: false };
      organization = await createOrganization(services, SYSTEM, { ...fields, ownerUserId: existing.id });
    } else {
      // The new owner and the organisation in one transaction: a failure leaves neither behind.
      const created = await createOrganizationWithNewOwner(services, SYSTEM, {
        ...fields,
        owner: {
          email: input.ownerEmail,
          name: input.ownerEmail.split('@')[0] || input.ownerEmail,
          password: ownerPassword,
        },
      });
      organization = created.organization;
      owner = { ...created.owner, created: true };
    }
    print(
      input.json,
      { organization, owner },
      () =>
        `Created organisation "${organization.name}" (${organization.slug}, ${organization.id}, tier ${organization.tier}) ` +
        `owned by ${owner.email}${owner.created ? ' (new user)' : ''}.`,
    );
  },
});
