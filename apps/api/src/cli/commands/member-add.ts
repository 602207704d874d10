import { ROLES, ZRole } from '@tollgate/domain';
import { defineCommand, JSON_DETAIL, JSON_OPTION } from '../command.ts';

export const memberAddCommand = defineCommand({
  name: 'member add',
  synopsis: `--org <slug> --email <email> --role ${ROLES.join('|')} [--json]`,
  summary: 'Add an existing user to an organisation with a role.',
  options: { org: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' }, ...JSON_OPTION },
  details: [JSON_DETAIL],
  parse(args) {
    const org = args.required('org');
    const email = args.required('email');
    args.required('role');
    const role = args.choice('role', ZRole, 'role') ?? args.fail('Missing --role');
    return { json: args.json, org, email, role };
  },
  async run({ services: servicesOf, print }, input) {
    const { addMember } = await import('../../core/members.ts');
    const { organizationBySlug, SYSTEM } = await import('../lookups.ts');
    const services = servicesOf();
    const organization = await organizationBySlug(services, input.org);
    const member = await addMember(services, SYSTEM, {
      organizationId: organization.id,
      email: input.email,
      role: input.role,
    });
    print(input.json, member, () => `Added ${member.email} to ${organization.slug} as ${member.role}.`);
  },
});
