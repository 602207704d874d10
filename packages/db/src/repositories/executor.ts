import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../tables/index.ts';

/** What every repository function takes: the database, or a transaction to take part in. */
export type Executor = Kysely<Database> | Transaction<Database>;
