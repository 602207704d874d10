import { TollgateError } from '../error/errors.ts';

function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** An opaque list cursor made of a few strings (a sort key and an id): base64url of their JSON array. */
export function encodeCursor(parts: readonly string[]): string {
  return toBase64Url(JSON.stringify(parts));
}

/**
 * The parts of a cursor made by {@link encodeCursor} with one part per pattern, each matching it;
 * VALIDATION_FAILED (on `cursor`) for anything else, so a forged cursor never reaches a query.
 */
export function decodeCursor(cursor: string, patterns: readonly RegExp[]): string[] {
  try {
    const value: unknown = JSON.parse(fromBase64Url(cursor));
    if (
      Array.isArray(value) &&
      value.length === patterns.length &&
      value.every((part, index) => typeof part === 'string' && patterns[index]?.test(part) === true)
    ) {
      return value as string[];
    }
  } catch {
    // Falls through to the error below.
  }
  throw new TollgateError('VALIDATION_FAILED', 'The cursor is not valid; start again without it.', [
    { path: 'cursor', message: 'Not a cursor returned by this list' },
  ]);
}

/** Cursor part patterns: µs since the epoch; a timestamptz as PostgreSQL prints it; an id of any kind. */
export const CURSOR_MICROS = /^-?\d{1,19}$/;
export const CURSOR_TIMESTAMPTZ = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d){0,2}$/;
export const CURSOR_ID = /^[a-z]{3}_[0-9A-Za-z]{22}$/;
