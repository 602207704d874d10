import type { Generated, Insertable, Selectable } from 'kysely';

/** Mirrors the CHECK constraint on credit_ledger.reason. */
export type CreditReason = 'purchase' | 'review' | 'grant' | 'refund';

export interface CreditLedgerTable {
  id: string;
  organizationId: string;
  /** Positive for credits added, negative for credits spent; never 0. */
  amount: number;
  reason: CreditReason;
  referenceId: string | null;
  actorId: string | null;
  createdAt: Generated<Date>;
}

export type CreditLedgerEntryRow = Selectable<CreditLedgerTable>;
export type NewCreditLedgerEntry = Insertable<CreditLedgerTable>;
