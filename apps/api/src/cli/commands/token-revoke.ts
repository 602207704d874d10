import { TollgateError } from '@tollgate/domain';
import { defineCommand, JSON_DETAIL, JSON_OPTION } from '../command.ts';

export const tokenRevokeCommand = defineCommand({
  name: 'token revoke',
  synopsis: '<id> [--json]',
  summary: 'Revoke a token at once and for good (the record stays, with revokedAt).',
  options: { ...JSON_OPTION },
  details: [JSON_DETAIL],
  maxPositionals: 1,
  parse(args) {
    const id = args.positionals[0];
    if (id === undefined || id.trim() === '') return args.fail('Missing the token id');
    return { json: args.json, id };
  },
  async run({ services: servicesOf, print }, input) {
    const { findTokenOrganizationId } = await import('@tollgate/db');
    const { revokeToken } = await import('../../core/tokens.ts');
    const services = servicesOf();
    const organizationId = await findTokenOrganizationId(services.db, input.id);
    if (organizationId === undefined)
      throw new TollgateError('NOT_FOUND', `There is no token with the id ${input.id}.`);
    const token = await revokeToken(services, { kind: 'system', organizationId }, { id: input.id });
    print(input.json, token, () => `Revoked token "${token.name}" (${token.id}, ${token.prefix}…).`);
  },
});
