import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { openApiDocument } from '@tollgate/api/openapi';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCurl, TOKEN_PLACEHOLDER } from '../lib/curl.ts';
import { type Endpoint, endpointsOf, type OpenApiDocument } from '../lib/openapi.ts';
import { PlaygroundView } from './PlaygroundView.tsx';

afterEach(cleanup);

/** The document the api serves at /api/v1/openapi.json, built by the api itself: the test cannot drift from it. */
const DOCUMENT: OpenApiDocument = openApiDocument();

const SECRET = 'tgp_0123456789abcdefghijABCDEFGHIJxyzXYZ01';
const endpoints: Endpoint[] = endpointsOf(DOCUMENT);
const TOKENS = [
  { id: 'tok_1', name: 'Defaults', prefix: 'tgp_01234567', status: 'active', scopes: ['organization:read'] },
];

function setup() {
  const onSend = vi.fn();
  render(
    <PlaygroundView endpoints={endpoints} tokens={TOKENS} origin="http://localhost:3000" onSend={onSend} />,
  );
  return { onSend, user: userEvent.setup() };
}

const curlText = () => screen.getByTestId('curl-export').textContent ?? '';

describe('the cURL export', () => {
  it('puts YOUR_API_TOKEN where the token goes, and the body as JSON', () => {
    const curl = buildCurl({
      origin: 'http://localhost:3000',
      method: 'PUT',
      path: '/api/v1/wiki/pages/it%27s',
      body: '{"title":"It\'s"}',
    });
    expect(curl).toContain(`-H 'Authorization: Bearer ${TOKEN_PLACEHOLDER}'`);
    expect(curl).toContain("curl -X PUT 'http://localhost:3000/api/v1/wiki/pages/it%27s'");
    // A quote inside the body is escaped for the shell.
    expect(curl).toContain(`--data '{"title":"It'\\''s"}'`);
  });

  it('never contains a pasted secret, only the placeholder', async () => {
    const { user, onSend } = setup();
    await user.click(screen.getByLabelText('Paste a token'));
    await user.type(screen.getByLabelText('API token'), SECRET);
    expect(curlText()).toContain(TOKEN_PLACEHOLDER);
    expect(curlText()).not.toContain(SECRET);
    await user.click(screen.getByRole('button', { name: 'Send' }));
    // The secret goes to the server for the request, and nowhere else on the page.
    expect(onSend.mock.calls[0]?.[0].source).toEqual({ token: SECRET });
    expect(document.body.textContent).not.toContain(SECRET);
  });
});

describe('the playground request builder', () => {
  it('shows the required scope and warns when the chosen token lacks it', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('button', { name: 'GET /api/v1/organization' }));
    expect(screen.getByTestId('required-scope').textContent).toBe('organization:read');
    expect(screen.queryByText(/does not have the/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'GET /api/v1/team' }));
    expect(screen.getByTestId('required-scope').textContent).toBe('team:read');
    expect(screen.getByText(/INSUFFICIENT_SCOPE/)).toBeTruthy();
  });

  it('clears the response (and the "Copied" label) when another endpoint is chosen', async () => {
    const onSend = vi.fn();
    const props = {
      endpoints,
      tokens: TOKENS,
      origin: 'http://localhost:3000',
      onSend,
    };
    const { rerender } = render(<PlaygroundView {...props} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Send' }));
    rerender(
      <PlaygroundView {...props} response={{ status: 200, durationMs: 5, headers: {}, body: { ok: 1 } }} />,
    );
    expect(screen.getByTestId('response-status').textContent).toBe('200');
    await user.click(screen.getByRole('button', { name: 'Copy cURL' }));
    expect(screen.getByText('Copied')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'GET /api/v1/team' }));
    expect(screen.queryByTestId('response-status')).toBeNull();
    expect(screen.queryByText('Copied')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'GET /api/v1/organization' }));
    expect(screen.getByTestId('response-status').textContent).toBe('200');
  });

  it('lists the endpoints by category in a panel, with a filter', async () => {
    const { user } = setup();
    const panel = screen.getByRole('navigation', { name: 'Endpoints' });
    // One group per tag of the document, in its order.
    const groups = [...panel.querySelectorAll('h3')].map((heading) => heading.textContent);
    expect(groups.slice(0, 3)).toEqual(['Organization', 'Team', 'Tokens']);
    expect(groups).toEqual(expect.arrayContaining(['Wiki', 'Webhooks', 'Leaked tokens']));
    expect(new Set(groups).size).toBe(groups.length);
    await user.type(screen.getByLabelText('Filter endpoints'), 'wiki');
    expect([...panel.querySelectorAll('h3')].map((heading) => heading.textContent)).toEqual(['Wiki']);
    expect(screen.getByRole('button', { name: 'PUT /api/v1/wiki/pages/{slug}' })).toBeTruthy();
  });

  it('validates the JSON body: invalid JSON shows the error and disables Send', async () => {
    const { user, onSend } = setup();
    await user.click(screen.getByRole('button', { name: 'PUT /api/v1/wiki/pages/{slug}' }));
    const editor = screen.getByLabelText('JSON body') as HTMLTextAreaElement;
    // The editor starts from the required fields.
    expect(JSON.parse(editor.value)).toEqual({ title: '' });
    await user.type(screen.getByLabelText('slug (required)'), 'home');
    await user.clear(editor);
    await user.type(editor, '{{"title": "Home"');
    expect(screen.getByRole('alert').textContent).toMatch(/Invalid JSON/);
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
    await user.type(editor, '}');
    expect(screen.queryByRole('alert')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(onSend).toHaveBeenCalledWith({
      source: { tokenId: 'tok_1' },
      method: 'PUT',
      path: '/api/v1/wiki/pages/home',
      query: {},
      body: { title: 'Home' },
    });
    expect(curlText()).toContain(`--data '{"title":"Home"}'`);
  });
});
