import { defineCommand, JSON_DETAIL, JSON_OPTION } from '../command.ts';

export const userCreateCommand = defineCommand({
  name: 'user create',
  synopsis: '--email <email> --name <name> (--password <password> | --password-stdin) [--json]',
  summary: 'Create a user (who can then be added to organisations).',
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    password: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    ...JSON_OPTION,
  },
  details: [
    '--password-stdin       read the password from the first line of standard input instead, so that it',
    '                       stays out of the shell history and the process list',
    JSON_DETAIL,
  ],
  parse(args) {
    return {
      json: args.json,
      email: args.required('email'),
      name: args.required('name'),
      password: args.password('password'),
    };
  },
  async run({ services, io, print }, input) {
    const { createUser } = await import('../../core/organizations.ts');
    const { passwordOf } = await import('../lookups.ts');
    const user = await createUser(services(), {
      email: input.email,
      name: input.name,
      password: await passwordOf(input.password, io, 'password'),
    });
    print(input.json, user, () => `Created user ${user.email} (${user.id}).`);
  },
});
