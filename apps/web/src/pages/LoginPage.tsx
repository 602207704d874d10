import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { BrandMark } from '../components/BrandMark.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { useSetSession } from '../lib/session.tsx';
import { useTRPC } from '../lib/trpc.ts';
import { useTitle } from '../lib/use-title.ts';

/** Where to go after signing in: the page of the deep link that led here, if it is one of this app's paths. */
export function nextPathOf(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login')
    ? next
    : '/settings/tokens';
}

/** Sign in with email and password; refusals show the api's own sentence (e.g. "Email or password is incorrect."). */
export function LoginPage() {
  const trpc = useTRPC();
  const id = useId();
  const setSession = useSetSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  useTitle('Sign in');
  // Signed in, the app at /login?next=… goes on to that page (App's SignedInPages).
  const login = useMutation(trpc.auth.login.mutationOptions({ onSuccess: setSession }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ email, password });
  };
  return (
    <main className="login" id="main">
      <form className="login-card form" onSubmit={submit} aria-labelledby={`${id}-title`}>
        <p className="brand brand-large" aria-hidden="true">
          <BrandMark /> Tollgate
        </p>
        <h1 id={`${id}-title`}>Sign in</h1>
        <div className="field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        <ErrorMessage error={login.error} />
        <button type="submit" className="button button-primary button-block" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
