import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { TollgateError } from '@tollgate/domain';
import { z } from 'zod';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 200;

/** A new password: 8–200 characters (an upper bound so that hashing cost stays predictable). */
export const ZPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, { error: `Password must be at least ${PASSWORD_MIN_LENGTH} characters` })
  .max(PASSWORD_MAX_LENGTH, { error: `Password must be at most ${PASSWORD_MAX_LENGTH} characters` });

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/**
 * Cost of new hashes: N=2^15, r=8, p=1 — 32 MiB and tens of milliseconds per hash on a server core, the
 * interactive-login setting of the scrypt paper. Raise it here; stored hashes carry their own parameters.
 */
export const PASSWORD_SCRYPT_PARAMS: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

const SALT_BYTES = 16;
const KEY_BYTES = 32;
// Stored hashes are ours, but bound what a (corrupted) row can make us compute.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

function scryptAsync(password: string, salt: Buffer, keylen: number, params: ScryptParams): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default maxmem (32 MiB) is exactly N=2^15·r=8 and refuses it.
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * The stored form of a password: `scrypt$N$r$p$<salt>$<hash>` (salt and hash base64url), self-describing so
 * that the cost can be raised later without breaking existing hashes. Throws VALIDATION_FAILED for a password
 * outside 8–200 characters.
 */
export async function hashPassword(
  password: string,
  params: ScryptParams = PASSWORD_SCRYPT_PARAMS,
): Promise<string> {
  const parsed = ZPassword.safeParse(password);
  if (!parsed.success) {
    throw new TollgateError('VALIDATION_FAILED', parsed.error.issues[0]?.message, [
      { path: 'password', message: parsed.error.issues[0]?.message ?? 'Invalid password' },
    ]);
  }
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(password, salt, KEY_BYTES, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

interface ParsedHash extends ScryptParams {
  salt: Buffer;
  key: Buffer;
}

function parseStoredHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map((part) => (/^\d{1,8}$/.test(part) ? Number(part) : Number.NaN));
  if (N === undefined || r === undefined || p === undefined) return null;
  if (!(N >= 2 && N <= MAX_N && (N & (N - 1)) === 0)) return null;
  if (!(r >= 1 && r <= MAX_R && p >= 1 && p <= MAX_P)) return null;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length < 8 || key.length < 16 || key.length > 64) return null;
  return { N, r, p, salt, key };
}

/**
 * Whether `password` matches the stored hash, compared in constant time. A malformed stored value never
 * matches. Passwords longer than the maximum never match either (without hashing them).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStoredHash(stored);
  if (!parsed || password.length > PASSWORD_MAX_LENGTH) {
    await verifyDummyPassword(password);
    return false;
  }
  const key = await scryptAsync(password, parsed.salt, parsed.key.length, parsed);
  return timingSafeEqual(key, parsed.key);
}

let dummyHash: Promise<string> | null = null;

/**
 * Spends the time of a real verification at the current cost and returns false: called when the email is
 * unknown, so that the response time does not tell which emails have an account.
 */
export async function verifyDummyPassword(password: string): Promise<false> {
  dummyHash ??= hashPassword('tollgate-dummy-password');
  const parsed = parseStoredHash(await dummyHash);
  if (parsed) {
    const key = await scryptAsync(
      password.slice(0, PASSWORD_MAX_LENGTH),
      parsed.salt,
      parsed.key.length,
      parsed,
    );
    timingSafeEqual(key, parsed.key);
  }
  return false;
}
