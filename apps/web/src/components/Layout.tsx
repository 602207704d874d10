import { useMutation } from '@tanstack/react-query';
import type { Scope } from '@tollgate/domain';
import { type ReactNode, useId } from 'react';
import { Link, usePath } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { useTRPC } from '../lib/trpc.ts';
import { BrandMark } from './BrandMark.tsx';
import { ErrorMessage } from './ErrorMessage.tsx';

/** The pages, each shown only to those whose role may open it (§10): what a link leads to must work. */
const NAV: { href: string; label: string; scope: Scope | null }[] = [
  { href: '/settings/tokens', label: 'API tokens', scope: null },
  { href: '/settings/policy', label: 'Policy', scope: 'organization:write' },
  { href: '/playground', label: 'Playground', scope: null },
  { href: '/audit', label: 'Audit log', scope: 'audit:read' },
];

/** Whether the signed-in role may open the page at `path` (the navigation and the router agree on it). */
export function mayOpen(path: string, scopes: readonly Scope[]): boolean {
  const item = NAV.find((entry) => path === entry.href || path.startsWith(`${entry.href}/`));
  return item === undefined || item.scope === null || scopes.includes(item.scope);
}

/** The signed-in frame: brand, navigation, organisation switcher (when there are several) and sign-out. */
export function Layout({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const id = useId();
  const path = usePath();
  const { session, update } = useSession();
  const switchOrganization = useMutation(
    trpc.auth.switchOrganization.mutationOptions({
      // Everything shown belongs to the organisation: start afresh in the new one.
      onSuccess: (next) => {
        update(next);
        window.location.reload();
      },
    }),
  );
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      // A full page load: nothing of the session (cached lists, a revealed secret) survives sign-out.
      onSettled: () => window.location.assign('/login'),
    }),
  );
  const current = session.organizations.find(
    (organization) => organization.id === session.currentOrganizationId,
  );

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/settings/tokens" className="brand">
          <BrandMark /> Tollgate
        </Link>
        <nav aria-label="Main" className="nav">
          {NAV.filter((item) => item.scope === null || session.scopes.includes(item.scope)).map((item) => (
            <Link
              key={item.href}
              href={item.href}
              aria-current={path === item.href || path.startsWith(`${item.href}/`) ? 'page' : undefined}
            >
              {item.label}
            </Link>
          ))}
          <a href="/docs">API docs</a>
        </nav>
        <div className="topbar-end">
          {session.organizations.length > 1 ? (
            <div className="org-switcher">
              <label htmlFor={`${id}-org`} className="visually-hidden">
                Organisation
              </label>
              <select
                id={`${id}-org`}
                value={session.currentOrganizationId ?? ''}
                disabled={switchOrganization.isPending}
                onChange={(event) => switchOrganization.mutate({ organizationId: event.target.value })}
              >
                {session.organizations.map((organization) => (
                  <option key={organization.id} value={organization.id}>
                    {organization.name} ({organization.role})
                  </option>
                ))}
              </select>
            </div>
          ) : current ? (
            <span className="org-name">
              {current.name} <span className="muted">({current.role})</span>
            </span>
          ) : null}
          <span className="user-email muted">{session.user.email}</span>
          <button type="button" className="button button-small" onClick={() => logout.mutate()}>
            Sign out
          </button>
        </div>
      </header>
      <ErrorMessage error={switchOrganization.error} />
      <main id="main" className="main">
        {session.currentOrganizationId === null ? (
          <p className="empty">You are not a member of any organisation yet. Ask an owner to add you.</p>
        ) : (
          children
        )}
      </main>
    </>
  );
}
