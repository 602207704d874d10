import type { AppRouter } from '@tollgate/api';
import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';

export type { RouterInputs, RouterOutputs } from '@tollgate/api';

/** React bindings of the typed client: `useTRPC()` gives query/mutation options for every procedure. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/**
 * The CSRF token of the current session (from auth.login / auth.me / auth.switchOrganization). It is kept in
 * memory only and sent as X-CSRF-Token on mutations, which the server requires of cookie-authenticated calls.
 */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The typed tRPC client of the web app: same origin `/trpc`, the session cookie, CSRF header on mutations. */
export function createApiClient(baseUrl = ''): TRPCClient<AppRouter> {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${baseUrl}/trpc`,
        fetch: (url, options) => fetch(url, { ...(options as RequestInit), credentials: 'same-origin' }),
        headers: ({ opList }) =>
          csrfToken !== null && opList.some((op) => op.type === 'mutation')
            ? { 'x-csrf-token': csrfToken }
            : {},
      }),
    ],
  });
}
