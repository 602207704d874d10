import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useId } from 'react';
import { Link, usePath } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';
import { useTRPC } from '../lib/trpc.ts';
import { BrandMark } from './BrandMark.tsx';
import { ErrorMessage } from './ErrorMessage.tsx';

const NAV = [
  { href: '/settings/tokens', label: 'API tokens' },
  { href: '/playground', label: 'Playground' },
  { href: '/audit', label: 'Audit log' },
];

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
          {NAV.map((item) => (
            <Link key={item.href} href={item.href} aria-current={path === item.href ? 'page' : undefined}>
              {item.label}
            </Link>
          ))}
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
