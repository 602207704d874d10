import { buildOpenApiDocument, type OpenApiDocument } from './openapi.ts';
import { restRouteTable } from './route-table.ts';

/**
 * The OpenAPI document that GET /api/v1/openapi.json serves, without a server: for readers of the document
 * that are tested apart from the api (the web app's playground builds its endpoint list from it).
 */
export function openApiDocument(): OpenApiDocument {
  return buildOpenApiDocument(restRouteTable());
}
