import type { AppRouter } from '@tollgate/api';
import { createTRPCClient, httpBatchLink, type TRPCClient, TRPCClientError } from '@trpc/client';

export type { AppRouter, RouterInputs, RouterOutputs } from '@tollgate/api';
export { TRPCClientError };

/** A `fetch` the client can use instead of the global one (a proxy-aware fetch, a test double, …). */
export type TollgateFetch = NonNullable<Parameters<typeof httpBatchLink<AppRouter>>[0]['fetch']>;

export interface TollgateClientOptions {
  /** Where the Tollgate API is served, e.g. `https://tollgate.example.com` (without `/trpc`). */
  url: string;
  /** An API token (`tgp_…` or `tgs_…`). It is sent as `Authorization: Bearer <token>` and nowhere else. */
  token: string;
  /** Optional replacement for the global fetch. */
  fetch?: TollgateFetch;
}

export type TollgateClient = TRPCClient<AppRouter>;

/**
 * A typed tRPC client for internal apps. Calls are held to the token's scopes, IP allowlist and rate limits,
 * exactly as REST calls are. A refused call rejects with a `TRPCClientError` whose `data.appCode` is the
 * §7 code (e.g. `INSUFFICIENT_SCOPE`) and whose `message` is a sentence for a person.
 */
export function createTollgateClient({ url, token, fetch }: TollgateClientOptions): TollgateClient {
  const base = url.replace(/\/+$/, '');
  const authorization = `Bearer ${token}`;
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${base}/trpc`,
        headers: () => ({ authorization }),
        ...(fetch ? { fetch } : {}),
      }),
    ],
  });
}

/**
 * Narrows a rejection of a client call to the typed tRPC error, whose `data.appCode` is the §7 code:
 * `if (isTollgateClientError(error) && error.data?.appCode === 'TOKEN_REVOKED') …`.
 */
export function isTollgateClientError(error: unknown): error is TRPCClientError<AppRouter> {
  return error instanceof TRPCClientError;
}
