import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { type Executor, findOrCreateServerSecret } from '@tollgate/db';
import {
  WEBHOOK_SECRET_DISPLAY_LENGTH,
  WEBHOOK_SECRET_LENGTH,
  WEBHOOK_SECRET_PREFIX,
} from '@tollgate/domain';

/**
 * A new signing secret and the start of it lists may show: `whsec_` + the base64 of 24 random bytes (192
 * bits), the Standard Webhooks format, so its libraries take the secret as it is shown.
 */
export function newSigningSecret(): { secret: string; prefix: string } {
  const secret = `${WEBHOOK_SECRET_PREFIX}${randomBytes((WEBHOOK_SECRET_LENGTH * 3) / 4).toString('base64')}`;
  return { secret, prefix: secret.slice(0, WEBHOOK_SECRET_DISPLAY_LENGTH) };
}

const FORMAT_VERSION = 'v1';
const HKDF_SALT = 'tollgate/webhook-secrets';
const HKDF_INFO = 'aes-256-gcm v1';
/** Name of the generated key in server_secrets, used when SESSION_SECRET is not set. */
export const GENERATED_KEY_NAME = 'webhook_secret_key';
const IV_BYTES = 12;

/** Where the key came from: `s` derived from SESSION_SECRET, `d` generated and kept in the database. */
type KeySource = 's' | 'd';

/**
 * Encrypts webhook signing secrets at rest with AES-256-GCM. The key is derived with HKDF-SHA256 from
 * SESSION_SECRET when it is set; otherwise it is a random key generated once and kept in server_secrets,
 * which every process on the same database reads. The ciphertext is bound to its subscription id (GCM
 * associated data), so a secret copied onto another row does not decrypt.
 *
 * Stored form: `v1.<s|d>.<iv>.<tag>.<ciphertext>` (base64url parts).
 */
export class WebhookSecretBox {
  readonly #sessionSecret: string | undefined;
  readonly #db: Executor;
  #key: Promise<Buffer> | undefined;

  constructor(deps: { sessionSecret?: string | undefined; db: Executor }) {
    this.#sessionSecret = deps.sessionSecret;
    this.#db = deps.db;
  }

  get keySource(): KeySource {
    return this.#sessionSecret === undefined ? 'd' : 's';
  }

  #loadKey(): Promise<Buffer> {
    if (this.#key === undefined) {
      const sessionSecret = this.#sessionSecret;
      this.#key =
        sessionSecret !== undefined
          ? Promise.resolve(Buffer.from(hkdfSync('sha256', sessionSecret, HKDF_SALT, HKDF_INFO, 32)))
          : findOrCreateServerSecret(this.#db, GENERATED_KEY_NAME, () =>
              randomBytes(32).toString('base64url'),
            ).then((stored) => Buffer.from(stored, 'base64url'));
      // A failed load (database down) is retried on the next call rather than remembered.
      this.#key.catch(() => {
        this.#key = undefined;
      });
    }
    return this.#key;
  }

  async encrypt(plain: string, subscriptionId: string): Promise<string> {
    const key = await this.#loadKey();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(subscriptionId));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      FORMAT_VERSION,
      this.keySource,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  /** The plain secret; throws when the stored value was made under another key or has been tampered with. */
  async decrypt(stored: string, subscriptionId: string): Promise<string> {
    const [version, source, iv, tag, ciphertext] = stored.split('.');
    if (version !== FORMAT_VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new Error('the signing secret is not in a known format');
    }
    if (source !== this.keySource) {
      throw new Error(
        source === 's'
          ? 'the signing secret was encrypted under SESSION_SECRET, which is not set now'
          : 'the signing secret was encrypted under the generated key, but SESSION_SECRET is set now',
      );
    }
    const key = await this.#loadKey();
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(subscriptionId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new Error(
        'the signing secret does not decrypt with the current key (was SESSION_SECRET changed?)',
      );
    }
  }
}
