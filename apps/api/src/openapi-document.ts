import { buildOpenApiDocument, type OpenApiDocument } from './rest/openapi.ts';
import { buildRouteTable } from './rest/route-table.ts';
import { appRouter } from './routers/root.ts';

/**
 * The OpenAPI document that GET /api/v1/openapi.json serves, without a server: for readers of the document
 * that are tested apart from the api (the web app's playground builds its endpoint list from it). An entry
 * point like server.ts: it hands the app router to the route table, which never imports it.
 */
export function openApiDocument(): OpenApiDocument {
  return buildOpenApiDocument(buildRouteTable(appRouter));
}
