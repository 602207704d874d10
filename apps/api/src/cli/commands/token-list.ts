import type { TToken } from '@tollgate/domain';
import { defineCommand, JSON_OPTION } from '../command.ts';

export const tokenListCommand = defineCommand({
  name: 'token list',
  synopsis: '--org <slug> [--json]',
  summary: "List an organisation's tokens (never their secrets).",
  options: { org: { type: 'string' }, ...JSON_OPTION },
  details: ['--json                 print one JSON array of token objects'],
  parse(args) {
    return { json: args.json, org: args.required('org') };
  },
  async run({ services: servicesOf, print }, input) {
    const { listTokens } = await import('../../core/tokens.ts');
    const { organizationBySlug } = await import('../lookups.ts');
    const { formatTokenList } = await import('../format.ts');
    const services = servicesOf();
    const organization = await organizationBySlug(services, input.org);
    const actor = { kind: 'system', organizationId: organization.id } as const;
    const tokens: TToken[] = [];
    let cursor: string | undefined;
    do {
      const page = await listTokens(services, actor, { limit: 100, ...(cursor ? { cursor } : {}) });
      tokens.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    print(input.json, tokens, () => formatTokenList(tokens, organization.slug));
  },
});
