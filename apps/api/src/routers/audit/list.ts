import { type AuditLogCursor, listAuditLogs } from '@tollgate/db';
import {
  CURSOR_TIMESTAMPTZ,
  decodeCursor,
  encodeCursor,
  ZListAuditLogsInputSchema,
  ZListAuditLogsOutputSchema,
} from '@tollgate/domain';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { listAuditLogsMeta } from './audit.types.ts';

/** The position an audit cursor names: nothing but a PostgreSQL timestamptz and a string reach the query. */
function auditCursorOf(cursor: string): AuditLogCursor {
  const [createdAt, id] = decodeCursor(cursor, [CURSOR_TIMESTAMPTZ, /^[\s\S]*$/]) as [string, string];
  return { createdAt, id };
}

/** The organisation's audit log, newest first, with filters and an opaque cursor over (createdAt, id). */
export const listAuditLogsProcedure = protectedProcedure
  .meta(listAuditLogsMeta)
  .input(ZListAuditLogsInputSchema)
  .output(ZListAuditLogsOutputSchema)
  .query(async ({ ctx, input }) => {
    const rows = await listAuditLogs(
      ctx.services.db,
      {
        organizationId: ctx.organizationId,
        actorId: input.actor,
        action: input.action,
        targetId: input.target,
        from: input.from ? new Date(input.from) : undefined,
        // `to` is inclusive to the millisecond; the database keeps microseconds.
        before: input.to ? new Date(Date.parse(input.to) + 1) : undefined,
      },
      { limit: input.limit, before: input.cursor ? auditCursorOf(input.cursor) : null },
    );
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return {
      data: page.map((row) => ({
        id: row.id,
        actorType: row.actorType,
        actorId: row.actorId,
        actorUserId: row.actorUserId,
        action: row.action,
        targetType: row.targetType,
        targetId: row.targetId,
        ip: row.ip,
        userAgent: row.userAgent,
        requestId: row.requestId,
        detail: row.detail,
        createdAt: row.createdAt.toISOString(),
      })),
      nextCursor: rows.length > input.limit && last ? encodeCursor([last.cursorCreatedAt, last.id]) : null,
    };
  });
