import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { App } from './App.tsx';

describe('App', () => {
  it('renders the product name and the scope count from the shared catalogue', () => {
    const html = renderToString(<App />);
    expect(html).toContain('Tollgate');
    expect(html).toMatch(/17<!-- --> scopes are available/);
  });
});
