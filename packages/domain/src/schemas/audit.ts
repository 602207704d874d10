import { z } from 'zod';
import { ZPage, ZPageCursor, ZPageLimit } from './page.ts';

export const ZListAuditLogsInputSchema = z
  .object({
    /** Entries made by this actor: a user id or a token id. */
    actor: z.string().min(1).max(100).optional(),
    /** An action such as `token.created`, or a family such as `token` (every `token.…` action). */
    action: z.string().min(1).max(100).optional(),
    /** Entries about this target id (a token, a user, the organisation…). */
    target: z.string().min(1).max(100).optional(),
    /** Inclusive bounds, ISO 8601 with an offset (e.g. 2026-01-31T00:00:00Z). */
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    limit: ZPageLimit,
    cursor: ZPageCursor,
  })
  .refine((input) => !input.from || !input.to || Date.parse(input.from) <= Date.parse(input.to), {
    error: '"from" must not be after "to"',
    path: ['from'],
  })
  .default({ limit: 20 });

export type TListAuditLogsInput = z.infer<typeof ZListAuditLogsInputSchema>;

export const ZAuditLogEntrySchema = z.object({
  id: z.string(),
  actorType: z.enum(['user', 'token', 'system']),
  actorId: z.string().nullable(),
  actorUserId: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  /** The Request-Id of the request that caused the entry (its response header and log line); null outside HTTP. */
  requestId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

export type TAuditLogEntry = z.infer<typeof ZAuditLogEntrySchema>;

export const ZListAuditLogsOutputSchema = ZPage(ZAuditLogEntrySchema);
