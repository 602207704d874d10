import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useMemo } from 'react';
import { type RouterOutputs, setCsrfToken, useTRPC } from './trpc.ts';

export type SessionView = RouterOutputs['auth']['me'];

interface SessionContextValue {
  session: SessionView;
  /** Replace the session after login or an organisation switch (also stores the new CSRF token). */
  update: (session: SessionView) => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** The signed-in user's session; only used below <SessionGate>, which guarantees there is one. */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside of a signed-in page');
  return value;
}

/** Stores a session the server just returned (login, organisation switch) as the session query's data. */
export function useSetSession() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(
    (session: SessionView) => {
      setCsrfToken(session.csrfToken);
      queryClient.setQueryData(trpc.auth.me.queryKey(), session);
    },
    [queryClient, trpc],
  );
}

/**
 * Asks the server who is signed in (auth.me). Shows `signedOut` when nobody is (the session cookie is
 * HttpOnly: only the server can tell), a loading line meanwhile, and the app with its session otherwise.
 */
export function SessionGate({ signedOut, children }: { signedOut: ReactNode; children: ReactNode }) {
  const trpc = useTRPC();
  const setSession = useSetSession();
  const me = useQuery({
    ...trpc.auth.me.queryOptions(),
    retry: false,
    refetchOnWindowFocus: false,
    select: (session) => {
      setCsrfToken(session.csrfToken);
      return session;
    },
  });
  const value = useMemo(
    () => (me.data ? { session: me.data, update: (session: SessionView) => setSession(session) } : null),
    [me.data, setSession],
  );
  if (me.isPending) {
    return (
      <p className="page-loading" role="status">
        Loading…
      </p>
    );
  }
  if (!value) return <>{signedOut}</>;
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
