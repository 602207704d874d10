import { type AuditLogCursor, listAuditLogs } from '@tollgate/db';
import { TollgateError, ZListAuditLogsInputSchema, ZListAuditLogsOutputSchema } from '@tollgate/domain';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { listAuditLogsMeta } from './audit.types.ts';

function encodeCursor(entry: { cursorCreatedAt: string; id: string }): string {
  return Buffer.from(JSON.stringify([entry.cursorCreatedAt, entry.id])).toString('base64url');
}

// A timestamptz as PostgreSQL prints it, e.g. `2026-11-23 13:23:31.123456+00`: nothing else reaches the query.
const CURSOR_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d){0,2}$/;

function decodeCursor(cursor: string): AuditLogCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      CURSOR_TIME.test(value[0])
    ) {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // Falls through to the error below.
  }
  throw new TollgateError('VALIDATION_FAILED', 'The cursor is not valid; start again without it.', [
    { path: 'cursor', message: 'Invalid cursor' },
  ]);
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
      { limit: input.limit, before: input.cursor ? decodeCursor(input.cursor) : null },
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
      nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null,
    };
  });
