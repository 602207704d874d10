import { defineCommand, JSON_DETAIL, JSON_OPTION } from '../command.ts';

export const seedCommand = defineCommand({
  name: 'seed',
  synopsis: '--demo [--json]',
  summary: 'Create the demo organisation "acme" and its users when the database has no organisation yet.',
  options: { demo: { type: 'boolean' }, ...JSON_OPTION },
  details: ['--demo                 required: the demo data set is the only one', JSON_DETAIL],
  parse(args) {
    if (!args.flag('demo')) args.fail('Missing --demo (the demo data set is the only one)');
    return { json: args.json };
  },
  async run({ services, print }, input) {
    const { seedDemo } = await import('../../seed.ts');
    const result = await seedDemo(services());
    print(input.json, result, () =>
      result.created
        ? `Demo organisation "${result.organizationSlug}" created. Sign in as ${result.email} / ${result.password}`
        : 'The database already has an organisation: nothing was seeded.',
    );
  },
});
