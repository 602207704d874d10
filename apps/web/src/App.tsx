import { SCOPES } from '@tollgate/domain';

/** Placeholder shell until the tokens and playground pages land; it already reads the shared scope catalogue. */
export function App() {
  return (
    <main
      style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 720, margin: '3rem auto', padding: '0 1rem' }}
    >
      <h1>Tollgate</h1>
      <p>Scoped, rate-limited API tokens for your organisation.</p>
      <p>{SCOPES.length} scopes are available.</p>
    </main>
  );
}
