import type { DatabaseHandle } from '@tollgate/db';

type KyselyPlugin = Parameters<DatabaseHandle['db']['withPlugin']>[0];
type RootNode = ReturnType<KyselyPlugin['transformQuery']>;

export type QueryKind = 'select' | 'insert' | 'update' | 'delete' | 'other';

const WRITE_KINDS: ReadonlySet<QueryKind> = new Set(['insert', 'update', 'delete']);

function kindOf(node: RootNode): QueryKind {
  switch (node.kind) {
    case 'SelectQueryNode':
      return 'select';
    case 'InsertQueryNode':
      return 'insert';
    case 'UpdateQueryNode':
      return 'update';
    case 'DeleteQueryNode':
      return 'delete';
    case 'RawNode': {
      // sql`…` templates: any data-modifying keyword (also inside a WITH) makes it a write.
      const text = node.sqlFragments.join(' ').toLowerCase();
      const write = /\b(insert|update|delete)\b/.exec(text)?.[1] as QueryKind | undefined;
      if (write) return write;
      return /^\s*(select|with)\b/.test(text) ? 'select' : 'other';
    }
    default:
      return 'other';
  }
}

/**
 * A Kysely plugin that counts the statements run through it, by kind. Wrap a test database with it
 * (`wrapDatabase: (d) => ({ ...d, db: d.db.withPlugin(counter.plugin) })`) to prove what the request path
 * does and does not write.
 */
export function createQueryCounter() {
  const counts: Record<QueryKind, number> = { select: 0, insert: 0, update: 0, delete: 0, other: 0 };
  /** Statements that ran and answered, compiled ones included (`db.executeQuery`, the rate-limit store's). */
  let executed = 0;
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      counts[kindOf(args.node)]++;
      return args.node;
    },
    async transformResult(args) {
      executed++;
      return args.result;
    },
  };
  return {
    plugin,
    counts,
    /** Statements that change data: INSERT, UPDATE, DELETE. */
    writes: () => [...WRITE_KINDS].reduce((sum, kind) => sum + counts[kind as QueryKind], 0),
    total: () => Object.values(counts).reduce((sum, count) => sum + count, 0),
    /** Every statement that ran and answered, built by Kysely or handed to it compiled. */
    executed: () => executed,
    reset() {
      executed = 0;
      for (const kind of Object.keys(counts) as QueryKind[]) counts[kind] = 0;
    },
  };
}

export type QueryCounter = ReturnType<typeof createQueryCounter>;
