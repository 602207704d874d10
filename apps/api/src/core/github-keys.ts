import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** GitHub's public-key document (https://api.github.com/meta/public_keys/secret_scanning). */
const ZGithubPublicKeys = z.object({
  public_keys: z.array(z.object({ key_identifier: z.string().min(1), key: z.string().min(1) })),
});

/** A refetch for an unknown key id happens at most this often, so made-up ids cannot make us hammer GitHub. */
const REFETCH_INTERVAL_MS = 60_000;
/** Known keys are read again after this long, to notice keys GitHub has retired. */
const MAX_AGE_MS = 60 * 60_000;
const FETCH_TIMEOUT_MS = 5_000;

export type GithubKeySource = { url: string } | { file: string };

/**
 * The public keys GitHub signs secret-scanning reports with, read from GitHub's endpoint (or a file holding the
 * same JSON) and kept for an hour. A report signed with a key id not known yet reads them again once (at most
 * once a minute), as GitHub's partner guide asks, so a key rotation needs no restart.
 */
export class GithubPublicKeys {
  readonly #source: GithubKeySource;
  readonly #now: () => number;
  #keys: Map<string, KeyObject> | undefined;
  #loadedAt = Number.NEGATIVE_INFINITY;
  #loading: Promise<Map<string, KeyObject>> | undefined;

  constructor(source: GithubKeySource, now: () => number = Date.now) {
    this.#source = source;
    this.#now = now;
  }

  /**
   * Whether `signature` (base64 DER ECDSA P-256 SHA-256, GitHub's `Github-Public-Key-Signature`) is the
   * signature of the raw body by the key `keyId` (`Github-Public-Key-Identifier`). Throws when the keys cannot
   * be read at all (the caller answers 503).
   */
  async verify(keyId: string, signature: string, body: string): Promise<boolean> {
    let keys = await this.#current();
    let key = keys.get(keyId);
    if (key === undefined && this.#now() - this.#loadedAt >= REFETCH_INTERVAL_MS) {
      keys = await this.#load();
      key = keys.get(keyId);
    }
    if (key === undefined) return false;
    const signatureBytes = Buffer.from(signature, 'base64');
    if (signatureBytes.length === 0) return false;
    try {
      return verify('sha256', Buffer.from(body, 'utf8'), { key, dsaEncoding: 'der' }, signatureBytes);
    } catch {
      // Not a DER signature at all.
      return false;
    }
  }

  async #current(): Promise<Map<string, KeyObject>> {
    if (this.#keys !== undefined && this.#now() - this.#loadedAt < MAX_AGE_MS) return this.#keys;
    return this.#load();
  }

  #load(): Promise<Map<string, KeyObject>> {
    this.#loading ??= this.#read()
      .then((keys) => {
        this.#keys = keys;
        this.#loadedAt = this.#now();
        return keys;
      })
      .finally(() => {
        this.#loading = undefined;
      });
    return this.#loading;
  }

  async #read(): Promise<Map<string, KeyObject>> {
    const text =
      'url' in this.#source ? await fetchKeys(this.#source.url) : await readFile(this.#source.file, 'utf8');
    const document = ZGithubPublicKeys.parse(JSON.parse(text));
    const keys = new Map<string, KeyObject>();
    for (const entry of document.public_keys) {
      keys.set(entry.key_identifier, createPublicKey(entry.key));
    }
    return keys;
  }
}

async function fetchKeys(url: string): Promise<string> {
  const response = await fetch(url, {
    headers: { accept: 'application/json', 'user-agent': 'Tollgate secret scanning' },
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`GitHub's public keys: HTTP ${response.status} from ${url}`);
  return response.text();
}
