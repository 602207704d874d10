import type { Generated, Insertable, Selectable } from 'kysely';

/** Who reported exposed credentials (mirrors the CHECK constraint on leak_reports.reporter). */
export type LeakReporter = 'public_report' | 'github_secret_scanning';

/** One reported credential: the SHA-256 of the token (never the token), and where it was found. */
export interface LeakReportItem {
  hash: string;
  url?: string;
  source?: string;
}

/** A leak report, kept until the job has revoked the tokens it names (§13). */
export interface LeakReportsTable {
  id: string;
  reporter: LeakReporter;
  items: LeakReportItem[];
  ip: string | null;
  userAgent: string | null;
  receivedAt: Generated<Date>;
  processedAt: Date | null;
}

export type LeakReportRow = Selectable<LeakReportsTable>;
export type NewLeakReport = Insertable<LeakReportsTable>;
