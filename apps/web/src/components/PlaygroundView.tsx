import { isScope, type Scope, scopeSatisfies } from '@tollgate/domain';
import { useId, useMemo, useState } from 'react';
import { buildCurl } from '../lib/curl.ts';
import { type Endpoint, groupByTag, requestPath } from '../lib/openapi.ts';
import { CopyButton } from './CopyButton.tsx';
import { ErrorMessage } from './ErrorMessage.tsx';

export interface PlaygroundToken {
  id: string;
  name: string;
  prefix: string;
  status: string;
  scopes: readonly string[];
}

export interface PlaygroundRequest {
  source: { tokenId: string } | { token: string };
  method: string;
  /** Path below the origin, with `/api/v1`, placeholders filled, without the query string. */
  path: string;
  query: Record<string, string>;
  body?: unknown;
}

export interface PlaygroundResponse {
  status: number;
  durationMs: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface PlaygroundViewProps {
  endpoints: Endpoint[];
  tokens: PlaygroundToken[];
  origin: string;
  onSend: (request: PlaygroundRequest) => void;
  sending?: boolean;
  response?: PlaygroundResponse | undefined;
  error?: unknown;
}

type JsonCheck = { ok: true; value: unknown } | { ok: false; message: string };

function checkJson(text: string): JsonCheck {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : 'Invalid JSON' };
  }
}

function statusClass(status: number): string {
  if (status < 300) return 'status-ok';
  if (status < 500) return 'status-client';
  return 'status-server';
}

const RATE_LIMIT_HEADER = /ratelimit|retry-after/i;

/** The playground's request builder and response view, free of data fetching (the page wires it to the api). */
export function PlaygroundView({
  endpoints,
  tokens,
  origin,
  onSend,
  sending,
  response: lastResponse,
  error: lastError,
}: PlaygroundViewProps) {
  const id = useId();
  const [filter, setFilter] = useState('');
  // The endpoint the last request went to: its response is shown only while that endpoint is chosen.
  const [sentKey, setSentKey] = useState<string | null>(null);
  const initial = endpoints.find((endpoint) => endpoint.key === 'GET /api/v1/organization') ?? endpoints[0];
  const [key, setKey] = useState(initial?.key ?? '');
  const endpoint = endpoints.find((candidate) => candidate.key === key);
  const [sourceKind, setSourceKind] = useState<'own' | 'pasted'>(tokens.length > 0 ? 'own' : 'pasted');
  const [tokenId, setTokenId] = useState(tokens[0]?.id ?? '');
  const [pasted, setPasted] = useState('');
  const [pathValues, setPathValues] = useState<Record<string, string>>({});
  const [queryValues, setQueryValues] = useState<Record<string, string>>({});
  const [bodyText, setBodyText] = useState(initial?.bodyTemplate ?? '{}');

  const chooseEndpoint = (next: string) => {
    setKey(next);
    setPathValues({});
    setQueryValues({});
    setBodyText(endpoints.find((candidate) => candidate.key === next)?.bodyTemplate ?? '{}');
  };

  const response = sentKey === key ? lastResponse : undefined;
  const error = sentKey === key ? lastError : undefined;
  const needle = filter.trim().toLowerCase();
  const visible = needle
    ? endpoints.filter((candidate) =>
        `${candidate.method} ${candidate.path} ${candidate.summary} ${candidate.tag}`
          .toLowerCase()
          .includes(needle),
      )
    : endpoints;

  const body = useMemo(() => checkJson(bodyText), [bodyText]);
  const chosenToken = tokens.find((token) => token.id === tokenId);
  const missingParams = endpoint?.pathParams.filter((param) => !(pathValues[param.name] ?? '').trim()) ?? [];
  const hasBody = Boolean(endpoint?.hasBody);
  const lacksScope =
    sourceKind === 'own' &&
    chosenToken !== undefined &&
    endpoint?.scope != null &&
    isScope(endpoint.scope) &&
    !scopeSatisfies(chosenToken.scopes.filter(isScope), endpoint.scope as Scope);
  const sourceReady = sourceKind === 'own' ? Boolean(chosenToken) : pasted.trim() !== '';
  const canSend =
    Boolean(endpoint) && sourceReady && missingParams.length === 0 && (!hasBody || body.ok) && !sending;

  const fullPath = endpoint ? requestPath(endpoint, pathValues, queryValues) : '';
  const curl = endpoint
    ? buildCurl({
        origin,
        method: endpoint.method,
        path: fullPath,
        body: hasBody && body.ok && body.value !== undefined ? JSON.stringify(body.value) : null,
      })
    : '';

  const send = () => {
    if (!endpoint || !canSend) return;
    const query: Record<string, string> = {};
    for (const [name, value] of Object.entries(queryValues))
      if (value.trim() !== '') query[name] = value.trim();
    setSentKey(key);
    onSend({
      source: sourceKind === 'own' ? { tokenId } : { token: pasted.trim() },
      method: endpoint.method,
      path: requestPath(endpoint, pathValues, {}),
      query,
      ...(hasBody && body.ok && body.value !== undefined ? { body: body.value } : {}),
    });
  };

  return (
    <div className="playground-layout">
      <nav className="endpoint-panel" aria-label="Endpoints">
        <div className="field">
          <label htmlFor={`${id}-filter`}>Filter endpoints</label>
          <input
            id={`${id}-filter`}
            type="search"
            placeholder="e.g. tokens, POST, wiki"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
          />
        </div>
        {groupByTag(visible).map(([tag, group]) => (
          <div key={tag} className="endpoint-group">
            <h3>{tag}</h3>
            <ul className="plain-list">
              {group.map((candidate) => (
                <li key={candidate.key}>
                  <button
                    type="button"
                    className="endpoint-choice"
                    aria-current={candidate.key === key ? 'true' : undefined}
                    aria-label={`${candidate.method} ${candidate.path}`}
                    title={candidate.summary}
                    onClick={() => chooseEndpoint(candidate.key)}
                  >
                    <span className={`method method-${candidate.method.toLowerCase()}`}>
                      {candidate.method}
                    </span>{' '}
                    <span className="endpoint-choice-path">{candidate.path.replace(/^\/api\/v1/, '')}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ))}
        {visible.length === 0 ? <p className="muted">No endpoint matches.</p> : null}
      </nav>
      <div className="playground">
        <form
          className="playground-request form"
          onSubmit={(event) => {
            event.preventDefault();
            send();
          }}
          aria-label="Request"
        >
          {endpoint ? (
            <div className="endpoint-summary">
              <span className={`method method-${endpoint.method.toLowerCase()}`}>{endpoint.method}</span>
              <code className="endpoint-path">{endpoint.path}</code>
              <p className="endpoint-scope">
                Required scope:{' '}
                <strong data-testid="required-scope">{endpoint.scope ?? 'none (any valid token)'}</strong>
              </p>
            </div>
          ) : null}

          <fieldset className="token-source">
            <legend>Token</legend>
            <div className="radio-row">
              <input
                type="radio"
                id={`${id}-own`}
                name={`${id}-source`}
                checked={sourceKind === 'own'}
                onChange={() => setSourceKind('own')}
              />
              <label htmlFor={`${id}-own`}>One of my tokens (runs on the server as that token)</label>
            </div>
            <div className="radio-row">
              <input
                type="radio"
                id={`${id}-pasted`}
                name={`${id}-source`}
                checked={sourceKind === 'pasted'}
                onChange={() => setSourceKind('pasted')}
              />
              <label htmlFor={`${id}-pasted`}>Paste a token</label>
            </div>
            {sourceKind === 'own' ? (
              <div className="field">
                <label htmlFor={`${id}-token`}>My token</label>
                <select
                  id={`${id}-token`}
                  value={tokenId}
                  onChange={(event) => setTokenId(event.target.value)}
                >
                  {tokens.length === 0 ? <option value="">You have no tokens yet</option> : null}
                  {tokens.map((token) => (
                    <option key={token.id} value={token.id}>
                      {token.name} ({token.prefix}…){token.status === 'active' ? '' : ` — ${token.status}`}
                    </option>
                  ))}
                </select>
              </div>
            ) : (
              <div className="field">
                <label htmlFor={`${id}-paste`}>API token</label>
                <input
                  id={`${id}-paste`}
                  type="password"
                  autoComplete="off"
                  spellCheck={false}
                  value={pasted}
                  onChange={(event) => setPasted(event.target.value)}
                />
                <p className="hint">
                  Sent to the server for this request only; never stored or put in the cURL export.
                </p>
              </div>
            )}
            {lacksScope ? (
              <p className="alert alert-warning" role="status">
                This token does not have the <code>{endpoint?.scope}</code> scope: the request will be refused
                with 403 INSUFFICIENT_SCOPE.
              </p>
            ) : null}
          </fieldset>

          {endpoint && endpoint.pathParams.length > 0 ? (
            <fieldset>
              <legend>Path parameters</legend>
              {endpoint.pathParams.map((param) => (
                <div className="field" key={param.name}>
                  <label htmlFor={`${id}-path-${param.name}`}>{param.name} (required)</label>
                  <input
                    id={`${id}-path-${param.name}`}
                    value={pathValues[param.name] ?? ''}
                    onChange={(event) => setPathValues({ ...pathValues, [param.name]: event.target.value })}
                  />
                  {param.description ? <p className="hint">{param.description}</p> : null}
                </div>
              ))}
            </fieldset>
          ) : null}

          {endpoint && endpoint.queryParams.length > 0 ? (
            <fieldset>
              <legend>Query parameters</legend>
              <div className="query-grid">
                {endpoint.queryParams.map((param) => (
                  <div className="field" key={param.name}>
                    <label htmlFor={`${id}-query-${param.name}`}>{param.name}</label>
                    {param.choices ? (
                      <select
                        id={`${id}-query-${param.name}`}
                        value={queryValues[param.name] ?? ''}
                        onChange={(event) =>
                          setQueryValues({ ...queryValues, [param.name]: event.target.value })
                        }
                      >
                        <option value="">(not set)</option>
                        {param.choices.map((choice) => (
                          <option key={choice} value={choice}>
                            {choice}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <input
                        id={`${id}-query-${param.name}`}
                        value={queryValues[param.name] ?? ''}
                        onChange={(event) =>
                          setQueryValues({ ...queryValues, [param.name]: event.target.value })
                        }
                      />
                    )}
                    {param.description ? <p className="hint">{param.description}</p> : null}
                  </div>
                ))}
              </div>
            </fieldset>
          ) : null}

          {hasBody ? (
            <div className={body.ok ? 'field' : 'field field-invalid'}>
              <label htmlFor={`${id}-body`}>JSON body</label>
              <textarea
                id={`${id}-body`}
                className="code-editor"
                rows={8}
                spellCheck={false}
                value={bodyText}
                aria-invalid={!body.ok}
                aria-describedby={body.ok ? undefined : `${id}-body-error`}
                onChange={(event) => setBodyText(event.target.value)}
              />
              {body.ok ? null : (
                <p className="field-error" id={`${id}-body-error`} role="alert">
                  Invalid JSON: {body.message}
                </p>
              )}
            </div>
          ) : null}

          {missingParams.length > 0 ? (
            <p className="hint">Fill in {missingParams.map((param) => param.name).join(', ')} to send.</p>
          ) : null}
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={!canSend}>
              {sending ? 'Sending…' : 'Send'}
            </button>
          </div>

          <section className="curl" aria-labelledby={`${id}-curl`}>
            <div className="section-header">
              <h2 id={`${id}-curl`}>cURL</h2>
              <CopyButton key={curl} text={curl} label="Copy cURL" />
            </div>
            <pre data-testid="curl-export">{curl}</pre>
          </section>
        </form>

        <section className="playground-response" aria-labelledby={`${id}-response`} aria-live="polite">
          <h2 id={`${id}-response`}>Response</h2>
          <ErrorMessage error={error} />
          {response ? (
            <>
              <p className="response-status">
                <span className={`status ${statusClass(response.status)}`} data-testid="response-status">
                  {response.status}
                </span>
                <span className="muted" data-testid="response-time">
                  {response.durationMs} ms
                </span>
              </p>
              <h3>Headers</h3>
              <table className="table headers-table">
                <tbody>
                  {Object.entries(response.headers).map(([name, value]) => (
                    <tr key={name} className={RATE_LIMIT_HEADER.test(name) ? 'header-ratelimit' : undefined}>
                      <th scope="row" className="header-name">
                        {name}
                      </th>
                      <td>
                        <code>{value}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h3>Body</h3>
              <pre className="response-body" data-testid="response-body">
                {response.body === null || response.body === undefined
                  ? '(no content)'
                  : JSON.stringify(response.body, null, 2)}
              </pre>
            </>
          ) : (
            <p className="muted">Choose an endpoint and a token, then Send.</p>
          )}
        </section>
      </div>
    </div>
  );
}
