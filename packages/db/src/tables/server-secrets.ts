import type { Generated, Selectable } from 'kysely';

/**
 * Keys the server generates for itself when the operator gives none (e.g. the key that encrypts webhook
 * signing secrets), one row per name.
 */
export interface ServerSecretsTable {
  name: string;
  value: string;
  createdAt: Generated<Date>;
}

export type ServerSecretRow = Selectable<ServerSecretsTable>;
