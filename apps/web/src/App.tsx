import { Layout } from './components/Layout.tsx';
import { Redirect, usePath } from './lib/router.tsx';
import { SessionGate } from './lib/session.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { PlaygroundPage } from './pages/PlaygroundPage.tsx';
import { TokensPage } from './pages/TokensPage.tsx';

function SignedInPages() {
  const path = usePath();
  switch (path) {
    case '/settings/tokens':
      return <TokensPage />;
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
  return path === '/login' ? <LoginPage /> : <Redirect to="/login" />;
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
