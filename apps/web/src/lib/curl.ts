/** What the cURL export puts where the secret would go: the export never contains a real token. */
export const TOKEN_PLACEHOLDER = 'YOUR_API_TOKEN';

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The request as a cURL command a person can paste into a shell, with {@link TOKEN_PLACEHOLDER} as the Bearer
 * token. It takes no token at all, so a chosen or pasted secret cannot end up in it.
 */
export function buildCurl(request: {
  origin: string;
  method: string;
  path: string;
  body?: string | null;
}): string {
  const lines = [
    `curl -X ${request.method} ${shellQuote(`${request.origin}${request.path}`)}`,
    `-H ${shellQuote(`Authorization: Bearer ${TOKEN_PLACEHOLDER}`)}`,
    `-H ${shellQuote('Accept: application/json')}`,
  ];
  if (request.body !== undefined && request.body !== null) {
    lines.push(`-H ${shellQuote('Content-Type: application/json')}`);
    lines.push(`--data ${shellQuote(request.body)}`);
  }
  return lines.join(' \\\n  ');
}
