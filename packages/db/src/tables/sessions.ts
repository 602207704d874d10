import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface SessionsTable {
  id: string;
  /** SHA-256 (hex) of the cookie secret; the secret itself is never stored. */
  secretHash: string;
  userId: string;
  /** The organisation the session currently acts in. */
  organizationId: string | null;
  csrfTokenHash: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: Generated<Date>;
  lastSeenAt: Generated<Date>;
  expiresAt: Date;
}

export type SessionRow = Selectable<SessionsTable>;
export type NewSession = Insertable<SessionsTable>;
export type SessionUpdate = Updateable<SessionsTable>;
