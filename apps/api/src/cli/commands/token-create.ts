import { TollgateError } from '@tollgate/domain';
import { defineCommand, JSON_DETAIL, JSON_OPTION } from '../command.ts';

export const tokenCreateCommand = defineCommand({
  name: 'token create',
  synopsis:
    '--org <slug> (--user <email> | --service) --name <name> [--scopes a,b,…] [--expires-in-days N] [--ip <cidr>,…] [--json]',
  summary: 'Create a token and print it once: it can never be shown again.',
  options: {
    org: { type: 'string' },
    user: { type: 'string' },
    service: { type: 'boolean' },
    name: { type: 'string' },
    scopes: { type: 'string' },
    'expires-in-days': { type: 'string' },
    ip: { type: 'string' },
    ...JSON_OPTION,
  },
  details: [
    "--user <email>         a personal token acting as that member, within their role's ceiling",
    '--service              a service token belonging to the organisation',
    "--scopes               comma-separated scopes (default: the default set, clipped to the member's role)",
    '--expires-in-days      lifetime in days (default: no expiry, unless the organisation policy requires one)',
    '--ip                   comma-separated IPv4/IPv6 addresses and CIDR ranges allowed to use the token',
    JSON_DETAIL,
  ],
  parse(args) {
    const org = args.required('org');
    const user = args.optional('user');
    if ((user === undefined) === !args.flag('service'))
      args.fail('Give exactly one of --user <email> and --service');
    if (user !== undefined && user.trim() === '') args.fail('Missing the email of --user');
    const name = args.required('name');
    const days = args.optional('expires-in-days');
    let expiresInDays: number | undefined;
    if (days !== undefined) {
      expiresInDays = /^\d+$/.test(days) ? Number(days) : Number.NaN;
      if (!Number.isSafeInteger(expiresInDays) || expiresInDays < 1) {
        args.fail('--expires-in-days must be a whole number of days, at least 1');
      }
    }
    return {
      json: args.json,
      org,
      user,
      name,
      scopes: args.list('scopes'),
      expiresInDays,
      ipAllowlist: args.list('ip') ?? [],
    };
  },
  async run({ services: servicesOf, print }, input) {
    const { findMembership } = await import('@tollgate/db');
    const { createToken } = await import('../../core/tokens.ts');
    const { organizationBySlug, userIdByEmail } = await import('../lookups.ts');
    const { formatCreatedToken } = await import('../format.ts');
    const services = servicesOf();
    const organization = await organizationBySlug(services, input.org);
    let subjectUserId: string | undefined;
    if (input.user !== undefined) {
      subjectUserId = await userIdByEmail(services, input.user);
      if (!(await findMembership(services.db, organization.id, subjectUserId))) {
        throw new TollgateError('NOT_FOUND', `${input.user} is not a member of ${organization.slug}.`);
      }
    }
    const token = await createToken(
      services,
      { kind: 'system', organizationId: organization.id },
      {
        name: input.name,
        type: subjectUserId === undefined ? 'service' : 'personal',
        ...(subjectUserId !== undefined ? { subjectUserId } : {}),
        ...(input.scopes !== undefined ? { scopes: input.scopes } : {}),
        ...(input.expiresInDays !== undefined ? { expiresInDays: input.expiresInDays } : {}),
        ipAllowlist: input.ipAllowlist,
      },
    );
    print(input.json, token, () => formatCreatedToken(token, organization.slug, input.user ?? null));
  },
});
