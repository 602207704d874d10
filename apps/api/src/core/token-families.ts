import type { NewTokenSecret, TokenRow } from '@tollgate/db';
import { TollgateError } from '@tollgate/domain';

/** What a retired secret is answered with (§12): INVALID_TOKEN, saying it was rotated. */
export function rotatedSecretError(): TollgateError {
  return new TollgateError(
    'INVALID_TOKEN',
    'The API token is not valid: it was rotated and its grace period has ended. Use the new token.',
  );
}

/**
 * The secrets a rotation of `current` retires (§12): its current secret, when the grace ends (now without
 * one), and a previous secret still in an earlier grace, now (its grace is cut short by the new rotation).
 */
export function secretsRetiredByRotation(
  current: TokenRow,
  now: Date,
  graceEnds: Date | null,
): NewTokenSecret[] {
  const retired: NewTokenSecret[] = [
    { hash: current.hash, tokenId: current.id, prefix: current.prefix, retiredAt: graceEnds ?? now },
  ];
  if (current.previousHash !== null) {
    const previousEnds = current.previousHashExpiresAt ?? now;
    retired.push({
      hash: current.previousHash,
      tokenId: current.id,
      prefix: null,
      retiredAt: previousEnds.getTime() < now.getTime() ? previousEnds : now,
    });
  }
  return retired;
}
