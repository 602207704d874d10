/** The parts of the api's OpenAPI 3.1 document (GET /api/v1/openapi.json) the playground reads. */
export interface OpenApiSchema {
  type?: string | string[];
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  items?: OpenApiSchema;
  anyOf?: OpenApiSchema[];
  allOf?: OpenApiSchema[];
  default?: unknown;
  enum?: unknown[];
  description?: string;
}

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: OpenApiSchema;
}

interface OpenApiOperation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  'x-required-scope'?: string | null;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: OpenApiSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  tags?: { name: string }[];
}

export const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export interface EndpointParameter {
  name: string;
  required: boolean;
  description?: string | undefined;
  /** Allowed values, when the schema lists them (shown as a select). */
  choices?: string[] | undefined;
}

/** One operation of the document, as the playground shows it. */
export interface Endpoint {
  /** `GET /api/v1/organization`: unique, used as the select value. */
  key: string;
  method: string;
  /** The full path with `{param}` placeholders, e.g. `/api/v1/tokens/{id}`. */
  path: string;
  summary: string;
  tag: string;
  /** `x-required-scope`: null means any valid token (or none, for the document itself). */
  scope: string | null;
  pathParams: EndpointParameter[];
  queryParams: EndpointParameter[];
  hasBody: boolean;
  /** A starting body for the editor: the required fields with placeholder values. */
  bodyTemplate: string;
}

function choicesOf(schema: OpenApiSchema | undefined): string[] | undefined {
  const values = schema?.enum ?? schema?.anyOf?.flatMap((part) => part.enum ?? []);
  return values && values.length > 0 ? values.map(String) : undefined;
}

function placeholder(schema: OpenApiSchema | undefined): unknown {
  if (!schema) return '';
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((value) => value !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return templateOf(schema);
    default:
      return schema.anyOf ? placeholder(schema.anyOf.find((part) => part.type !== 'null')) : '';
  }
}

function templateOf(schema: OpenApiSchema): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const part of [schema, ...(schema.allOf ?? [])]) {
    for (const name of part.required ?? []) result[name] = placeholder(part.properties?.[name]);
  }
  return result;
}

/** Every operation of the document, in document order. */
export function endpointsOf(document: OpenApiDocument): Endpoint[] {
  const endpoints: Endpoint[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [lowerMethod, operation] of Object.entries(operations)) {
      const method = lowerMethod.toUpperCase();
      const parameters = operation.parameters ?? [];
      const toParameter = (parameter: OpenApiParameter): EndpointParameter => ({
        name: parameter.name,
        required: parameter.in === 'path' || Boolean(parameter.required),
        description: parameter.description ?? parameter.schema?.description,
        choices: choicesOf(parameter.schema),
      });
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      endpoints.push({
        key: `${method} ${path}`,
        method,
        path,
        summary: operation.summary ?? '',
        tag: operation.tags?.[0] ?? 'Other',
        scope: operation['x-required-scope'] ?? null,
        pathParams: parameters.filter((parameter) => parameter.in === 'path').map(toParameter),
        queryParams: parameters.filter((parameter) => parameter.in === 'query').map(toParameter),
        hasBody: BODY_METHODS.has(method),
        bodyTemplate: JSON.stringify(bodySchema ? templateOf(bodySchema) : {}, null, 2),
      });
    }
  }
  return endpoints;
}

/** Endpoints by their first tag, tags in the order they first appear. */
export function groupByTag(endpoints: readonly Endpoint[]): [string, Endpoint[]][] {
  const groups = new Map<string, Endpoint[]>();
  for (const endpoint of endpoints) groups.set(endpoint.tag, [...(groups.get(endpoint.tag) ?? []), endpoint]);
  return [...groups];
}

/** The concrete path: placeholders filled (URL-encoded) and non-empty query values appended. */
export function requestPath(
  endpoint: Pick<Endpoint, 'path'>,
  pathValues: Record<string, string>,
  queryValues: Record<string, string>,
): string {
  const path = endpoint.path.replace(/\{([^}]+)\}/g, (_match, name: string) =>
    encodeURIComponent(pathValues[name] ?? ''),
  );
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(queryValues))
    if (value.trim() !== '') query.append(name, value.trim());
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}
