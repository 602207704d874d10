import type { IncomingMessage } from 'node:http';

/** The Authorization header of an HTTP request, as procedures see it (RequestInfo). */
export interface AuthorizationHeader {
  /** The header's value; the first one when it was sent more than once. */
  authorization: string | null;
  /** Whether the request carried more than one Authorization header; such a request is MALFORMED_TOKEN. */
  authorizationRepeated: boolean;
}

/**
 * Reads the Authorization header, noticing a repeated one. Node keeps only the first of repeated
 * Authorization headers in `headers` and drops the others without a word; `rawHeaders` still lists every
 * one, so they are counted there — only when the header is present at all, so requests without one (and
 * the usual single header) cost one pass over a short array at most.
 */
export function authorizationHeaderOf(request: IncomingMessage): AuthorizationHeader {
  const value = request.headers.authorization;
  if (value === undefined) return { authorization: null, authorizationRepeated: false };
  const raw = request.rawHeaders;
  let seen = 0;
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index] as string;
    if (name.length === 13 && name.toLowerCase() === 'authorization') seen++;
  }
  return { authorization: value, authorizationRepeated: seen > 1 };
}
