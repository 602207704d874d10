import { Layout, mayOpen } from './components/Layout.tsx';
import { Redirect, usePath } from './lib/router.tsx';
import { SessionGate, useSession } from './lib/session.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { LoginPage, nextPathOf } from './pages/LoginPage.tsx';
import { PlaygroundPage } from './pages/PlaygroundPage.tsx';
import { PolicyPage } from './pages/PolicyPage.tsx';
import { TokenPage } from './pages/TokenPage.tsx';
import { TokensPage } from './pages/TokensPage.tsx';

function SignedInPages() {
  const path = usePath();
  const { session } = useSession();
  // Just signed in: on to the page of the deep link that led to the sign-in, if any.
  if (path === '/login') return <Redirect to={nextPathOf(window.location.search)} />;
  if (!mayOpen(path, session.scopes)) return <Redirect to="/settings/tokens" />;
  const token = /^\/settings\/tokens\/(tok_[0-9A-Za-z]+)$/.exec(path);
  if (token?.[1]) return <TokenPage id={token[1]} />;
  switch (path) {
    case '/settings/tokens':
      return <TokensPage />;
    case '/settings/policy':
      return <PolicyPage />;
    case '/playground':
      return <PlaygroundPage />;
    case '/audit':
      return <AuditPage />;
    default:
      return <Redirect to="/settings/tokens" />;
  }
}

function SignedOut() {
  const path = usePath();
  // A deep link keeps its page: /audit while signed out signs in, then opens /audit.
  const next = `${path}${window.location.search}`;
  if (path === '/login') return <LoginPage />;
  return <Redirect to={path === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} />;
}

/** The whole app: sign-in when signed out, otherwise the page for the current path inside the frame. */
export function App() {
  return (
    <SessionGate signedOut={<SignedOut />}>
      <Layout>
        <SignedInPages />
      </Layout>
    </SessionGate>
  );
}
