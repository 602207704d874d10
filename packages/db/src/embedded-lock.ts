import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE_NAME = 'tollgate.lock';

/** Thrown when another live process holds the embedded database. */
export class DatabaseLockedError extends Error {
  override readonly name = 'DatabaseLockedError';

  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database at ${dataDir} is in use by another process (pid ${pid}). Stop it or set DATABASE_URL.`,
    );
  }
}

export interface EmbeddedLock {
  readonly path: string;
  release(): void;
}

/**
 * Takes the single-process lock of an embedded data directory: a file holding the owner's pid. A lock left
 * by a process that no longer exists is taken over; a live owner (this process included) makes it throw
 * DatabaseLockedError.
 */
export function acquireEmbeddedLock(dataDir: string): EmbeddedLock {
  const path = join(dataDir, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreateLockFile(path)) return createLock(path);
    const content = readLockFile(path);
    if (content === undefined) continue; // released meanwhile: try again
    const pid = Number.parseInt(content, 10);
    if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid)) throw new DatabaseLockedError(dataDir, pid);
    // Stale: remove it unless someone replaced it since we read it.
    if (readLockFile(path) === content) removeFile(path);
  }
  throw new Error(`Could not take the lock ${path}: it keeps changing.`);
}

function createLock(path: string): EmbeddedLock {
  const ownContent = lockContent();
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    if (readLockFile(path) === ownContent) removeFile(path);
  };
  process.once('exit', release);
  return { path, release };
}

function lockContent(): string {
  return `${process.pid}\n`;
}

/** Creates the lock file with its content in one atomic step (link fails if the file exists). */
function tryCreateLockFile(path: string): boolean {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, lockContent());
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  } finally {
    removeFile(temporary);
  }
}

function readLockFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return errorCode(error) === 'EPERM';
  }
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}
