import type { ProcedureMeta } from '../../trpc/init.ts';

export const listAuditLogsMeta = {
  scope: 'audit:read',
  rest: {
    method: 'GET',
    path: '/audit-logs',
    summary: 'List audit log entries (filters: actor, action, target, from, to)',
    tags: ['Audit log'],
  },
} satisfies ProcedureMeta;
