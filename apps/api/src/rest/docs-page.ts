import { ERROR_CODES, ERRORS, type ErrorCode } from '@tollgate/domain';
import type { JsonSchema } from './json-schema.ts';
import { itemsOf, objectShape } from './json-schema.ts';
import { codesByStatus, type OpenApiDocument, REST_PREFIX } from './openapi.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Inline `code` spans of the summaries and descriptions, the only markup they use. */
function inlineMarkup(value: string): string {
  return escapeHtml(value).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function slugOf(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** A short type for a person: `string`, `integer`, `string[]`, `active | revoked`, `string | null`… */
export function typeLabel(schema: JsonSchema | undefined): string {
  if (!schema) return 'any';
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if ('const' in schema) return JSON.stringify(schema.const);
  const members = schema.anyOf ?? schema.oneOf;
  if (members) return members.map(typeLabel).join(' | ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) return 'any';
  return types
    .map((type) => {
      if (type === 'array') {
        const items = schema.items ? typeLabel(schema.items) : 'any';
        return items.includes('|') ? `(${items})[]` : `${items}[]`;
      }
      if (type === 'string' && typeof schema.format === 'string') return `string (${schema.format})`;
      return type;
    })
    .join(' | ');
}

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema?: JsonSchema;
}

function fieldRows(
  rows: { name: string; where?: string; schema?: JsonSchema; required: boolean; description?: string }[],
) {
  if (rows.length === 0) return '';
  const body = rows
    .map(
      (row) =>
        `<tr><td><code>${escapeHtml(row.name)}</code>${row.required ? ' <span class="req">required</span>' : ''}</td>` +
        `${row.where === undefined ? '' : `<td>${escapeHtml(row.where)}</td>`}` +
        `<td><code>${escapeHtml(typeLabel(row.schema))}</code></td>` +
        `<td>${row.description ? inlineMarkup(row.description) : ''}</td></tr>`,
    )
    .join('');
  const where = rows[0]?.where === undefined ? '' : '<th>in</th>';
  return `<table><thead><tr><th>name</th>${where}<th>type</th><th>description</th></tr></thead><tbody>${body}</tbody></table>`;
}

function schemaOfBody(operation: Record<string, unknown>): JsonSchema | undefined {
  const body = operation.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined;
  return body?.content?.['application/json']?.schema;
}

function renderOperation(method: string, path: string, operation: Record<string, unknown>): string {
  const scope = operation['x-required-scope'] as string | null | undefined;
  const security = operation.security as unknown[] | undefined;
  const scopeBadge =
    security && security.length === 0
      ? '<span class="scope none">no authentication</span>'
      : scope
        ? `<span class="scope">${escapeHtml(scope)}</span>`
        : '<span class="scope any">any valid token</span>';
  const parameters = (operation.parameters as Parameter[] | undefined) ?? [];
  const paramTable = fieldRows(
    parameters.map((parameter) => ({
      name: parameter.name,
      where: parameter.in,
      schema: parameter.schema,
      required: parameter.required,
      ...(parameter.description ? { description: parameter.description } : {}),
    })),
  );
  const bodySchema = schemaOfBody(operation);
  const bodyShape = objectShape(bodySchema ?? null);
  const bodyTable = fieldRows(
    Object.entries(bodyShape.properties).map(([name, schema]) => ({
      name,
      schema,
      required: bodyShape.required.has(name),
      ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    })),
  );
  const responses = Object.entries(operation.responses as Record<string, ResolvedResponse>)
    .map(([status, response]) => {
      const codes = response.codes?.filter((code) => codeApplies(code, operation));
      const text = codes
        ? `${escapeHtml(response.description ?? '')}: ${codes.map((code) => `<a href="#${code}"><code>${code}</code></a>`).join(', ')}`
        : escapeHtml(response.description ?? '');
      return `<li><code>${escapeHtml(status)}</code> ${text}</li>`;
    })
    .join('');
  const successTable = Object.entries(operation.responses as Record<string, ResolvedResponse>)
    .filter(([status]) => status.startsWith('2'))
    .map(([status, response]) => {
      const rows = responseFieldRows(response.schema);
      return rows.length > 0 ? `<h4>Response <code>${escapeHtml(status)}</code></h4>${fieldRows(rows)}` : '';
    })
    .join('');
  const id = typeof operation.operationId === 'string' ? operation.operationId : `${method}-${path}`;
  return `<article class="op" id="${escapeHtml(slugOf(id))}">
<h3><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code> ${scopeBadge}</h3>
<p>${inlineMarkup(String(operation.summary ?? ''))}</p>
${typeof operation.description === 'string' ? `<p class="muted">${inlineMarkup(operation.description)}</p>` : ''}
${paramTable ? `<h4>Parameters</h4>${paramTable}` : ''}
${bodyTable ? `<h4>JSON body</h4>${bodyTable}` : ''}
${successTable}
<h4>Responses</h4><ul class="responses">${responses}</ul>
</article>`;
}

/** A response as the page shows it: its description, the §7 codes of an error status, a success's schema. */
interface ResolvedResponse {
  description?: string;
  codes?: ErrorCode[];
  schema?: JsonSchema;
}

/**
 * Whether an operation can answer with this code, from what its OpenAPI operation says: one without
 * authentication never refuses a token, and one that needs no particular scope never answers
 * INSUFFICIENT_SCOPE.
 */
function codeApplies(code: ErrorCode, operation: Record<string, unknown>): boolean {
  const security = operation.security as unknown[] | undefined;
  const anonymous = security !== undefined && security.length === 0;
  const status = ERRORS[code].status;
  if (anonymous && (status === 401 || (status === 403 && code !== 'FORBIDDEN'))) return false;
  if (code === 'INSUFFICIENT_SCOPE' && !operation['x-required-scope']) return false;
  return true;
}

/** The fields of a success response: the top level, and one level into an object or a list of objects. */
function responseFieldRows(schema: JsonSchema | undefined) {
  const rows: { name: string; schema: JsonSchema; required: boolean; description?: string }[] = [];
  const visit = (node: JsonSchema | undefined, prefix: string, depth: number) => {
    const shape = objectShape(node ?? null);
    for (const [name, field] of Object.entries(shape.properties)) {
      rows.push({
        name: `${prefix}${name}`,
        schema: field,
        required: shape.required.has(name),
        ...(typeof field.description === 'string' ? { description: field.description } : {}),
      });
      if (depth > 0) continue;
      const items = itemsOf(field);
      if (items && Object.keys(objectShape(items).properties).length > 0)
        visit(items, `${prefix}${name}[].`, 1);
      else if (Object.keys(objectShape(field).properties).length > 0) visit(field, `${prefix}${name}.`, 1);
    }
  };
  visit(schema, '', 0);
  return rows;
}

/**
 * The operation's own responses as the page shows them: an `ErrorNNN` reference becomes its status name and
 * the §7 codes of that status (narrowed per operation when rendered); a success keeps its JSON schema.
 */
function withResolvedResponses(document: OpenApiDocument, operation: Record<string, unknown>) {
  const components = document.components.responses as Record<string, { description: string }>;
  const codes = codesByStatus();
  const responses: Record<string, ResolvedResponse> = {};
  for (const [status, response] of Object.entries(
    operation.responses as Record<
      string,
      { description?: string; $ref?: string; content?: Record<string, { schema?: JsonSchema }> }
    >,
  )) {
    const name = response.$ref?.split('/').pop();
    const component = name ? components[name] : undefined;
    if (component) {
      const statusCodes = codes.get(Number(status)) ?? [];
      responses[status] = { description: component.description.split(':')[0] ?? '', codes: statusCodes };
    } else {
      const schema = response.content?.['application/json']?.schema;
      responses[status] = {
        ...(response.description ? { description: response.description } : {}),
        ...(schema ? { schema } : {}),
      };
    }
  }
  return { ...operation, responses };
}

/** Where the error reference is served; a problem document's `type` is `${ERRORS_PAGE_PATH}#<CODE>`. */
export const ERRORS_PAGE_PATH = '/docs/errors';

/**
 * The error reference: one entry per §7 code, anchored by the code itself (`#RATE_LIMITED`), which is where a
 * problem document's `type` points. Generated from the domain's error table, the one source of codes.
 */
function renderErrorsSection(): string {
  const entries = ERROR_CODES.map((code) => {
    const { status, title, help, message } = ERRORS[code];
    return `<article class="op" id="${code}"><h3><code>${code}</code> <span class="scope any">${status}</span> ${escapeHtml(title)}</h3>
<p>${inlineMarkup(help)}</p>
<p class="muted">Default message: ${escapeHtml(message)}</p></article>`;
  }).join('\n');
  return `<section id="errors"><h2>Errors</h2>
<p>Every error is an RFC 9457 problem document (<code>Content-Type: application/problem+json</code>):
<code>{"success": false, "error": "…", "code": "…", "type": "/docs/errors#…", "title": "…", "status": …, "detail": "…", "instance": "/api/v1/…", "requestId": "req_…"}</code>,
with <code>details</code> for validation errors. <code>type</code> links to the code's entry below; <code>requestId</code> is the
response's <code>Request-Id</code>, under which the server logged the request.</p>
${entries}</section>`;
}

/**
 * The API reference at /docs (and /docs/errors, the same page): a self-contained HTML page rendered on the server from the OpenAPI document,
 * grouped by tag, with method, path, required scope, summary, parameters, body fields, the success response's
 * fields and the operation's own error responses (each code linked to its entry below). No
 * script and no external asset, so it renders offline and under any Content-Security-Policy.
 */
export function renderDocsPage(document: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const tag of document.tags) byTag.set(tag.name, []);
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const tag = (operation.tags as string[] | undefined)?.[0] ?? 'Other';
      const html = renderOperation(method, path, withResolvedResponses(document, operation));
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const nav = [...byTag.keys()]
    .map((tag) => `<li><a href="#tag-${escapeHtml(slugOf(tag))}">${escapeHtml(tag)}</a></li>`)
    .join('')
    .concat('<li><a href="#errors">Errors</a></li>');
  const sections = [...byTag.entries()]
    .map(
      ([tag, operations]) =>
        `<section id="tag-${escapeHtml(slugOf(tag))}"><h2>${escapeHtml(tag)}</h2>${operations.join('\n')}</section>`,
    )
    .join('\n');
  const { title, version, description } = document.info;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} API reference</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1c1e21;background:#fafafa}
header{background:#14213d;color:#fff;padding:1.2rem 2rem}header a{color:#fca311}
main{display:flex;gap:2rem;padding:1rem 2rem;max-width:1200px}
nav{position:sticky;top:1rem;align-self:flex-start;min-width:10rem}nav ul{list-style:none;padding:0}
.content{flex:1;min-width:0}h2{border-bottom:2px solid #e5e5e5;padding-bottom:.3rem;margin-top:2rem}
.op{background:#fff;border:1px solid #e5e5e5;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.op h3{font-size:1rem;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.method{font-weight:700;color:#fff;border-radius:4px;padding:.1rem .5rem;font-size:.8rem}
.get{background:#2b7a0b}.post{background:#1d4ed8}.put{background:#7c3aed}.patch{background:#b45309}.delete{background:#b91c1c}
.scope{background:#eef2ff;color:#3730a3;border-radius:999px;padding:.05rem .6rem;font-size:.8rem}
.scope.any,.scope.none{background:#f1f5f9;color:#475569}
.muted{color:#555;font-size:.9rem}.req{color:#b91c1c;font-size:.75rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;border-top:1px solid #eee;padding:.25rem .5rem;vertical-align:top}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.88em}.responses{font-size:.9rem;padding-left:1.2rem}
</style>
</head>
<body>
<header><p><a href="/settings/tokens">← Back to the web app</a></p><h1>${escapeHtml(title)} API reference <small>v${escapeHtml(version)}</small></h1>
<p>${inlineMarkup(description)}</p>
<p>Machine-readable: <a href="${REST_PREFIX}/openapi.json">${REST_PREFIX}/openapi.json</a> (OpenAPI ${escapeHtml(document.openapi)})</p></header>
<main><nav><strong>Categories</strong><ul>${nav}</ul></nav>
<div class="content">${sections}
${renderErrorsSection()}</div></main>
</body>
</html>
`;
}
