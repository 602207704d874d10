import { type ErrorCode, isTollgateError } from '@tollgate/domain';
import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';
import type { CookieOptions, RequestInfo } from '../../src/request-info.ts';
import { toTollgateError } from '../../src/trpc/errors.ts';
import type { TestHarness } from './harness.ts';

/** A cookie as a browser would hold it: the value plus the attributes the server set. */
export interface StoredCookie {
  value: string;
  options: CookieOptions;
}

/**
 * A request with a cookie jar, like a browser tab: cookies the server sets are sent back on later calls
 * made with the same object, and a cleared cookie is gone.
 */
export function browserRequest(overrides: Partial<RequestInfo> = {}) {
  const jar = new Map<string, StoredCookie>();
  const headers = new Map<string, string>();
  const request = {
    ip: '127.0.0.1',
    userAgent: 'vitest browser',
    getCookie: (name: string) => jar.get(name)?.value,
    setCookie: (name: string, value: string, options: CookieOptions) => {
      jar.set(name, { value, options });
    },
    clearCookie: (name: string) => {
      jar.delete(name);
    },
    setHeader: (name: string, value: string) => {
      headers.set(name.toLowerCase(), value);
    },
    ...overrides,
  } satisfies Partial<RequestInfo>;
  return Object.assign(request, { jar, headers });
}

export type BrowserRequest = ReturnType<typeof browserRequest> & { csrfToken?: string | null };

/**
 * Signs in through `auth.login` and returns the request of a signed-in browser: its getCookie returns the
 * issued session cookie and its csrfToken is set, so `harness.caller(await signIn(...))` acts as that user.
 */
export async function signIn(
  harness: TestHarness,
  email: string,
  password: string,
  request: Partial<RequestInfo> & { organizationSlug?: string } = {},
) {
  const { organizationSlug, ...overrides } = request;
  const browser: BrowserRequest = browserRequest(overrides);
  const session = await harness
    .caller(browser)
    .auth.login({ email, password, ...(organizationSlug ? { organizationSlug } : {}) });
  browser.csrfToken = session.csrfToken;
  return Object.assign(browser, { csrfToken: session.csrfToken, session });
}

/** The §7 code a call failed with, as the REST facade and the web app would see it. */
export async function failureOf(
  call: Promise<unknown>,
): Promise<{ code: ErrorCode; message: string; details: unknown }> {
  try {
    await call;
  } catch (error) {
    const tollgate = isTollgateError(error)
      ? error
      : error instanceof TRPCError
        ? toTollgateError(error)
        : null;
    if (tollgate)
      return { code: tollgate.code, message: tollgate.message, details: tollgate.details ?? null };
    throw error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Asserts that the call fails with the given §7 code. */
export async function expectFailure(call: Promise<unknown>, code: ErrorCode) {
  const failure = await failureOf(call);
  expect(failure.code).toBe(code);
  return failure;
}
