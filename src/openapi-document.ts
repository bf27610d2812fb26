import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { DocumentBuilder, SwaggerModule, getSchemaPath } from '@nestjs/swagger';
import { documentedGridSchemas } from './core/grid/grid-api';
import { ApiErrorBodyDto } from './core/http/api-docs';

/**
 * The OpenAPI document of the application: what the controllers and DTOs
 * declare, the schemas of the grids the routes document (rows, pages, filters,
 * sort keys, from their GridDefinitions), and the error body on every error
 * answer. Served at /docs-json; `npm run openapi` writes it to openapi.json.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Postroom API')
    .setDescription(
      'Document management and digital mailroom. Every list is a server-side grid: sort, filter, search, keyset paging and column-value discovery.',
    )
    .setVersion('1')
    .addServer('/', 'This server: every path starts with /api, /health or /metrics')
    .addBearerAuth()
    .build();
  // Proprietary (package.json): a licence name and no URL (DocumentBuilder would write url: '').
  config.info.license = { name: 'UNLICENSED' };
  const doc = SwaggerModule.createDocument(app, config, { extraModels: [ApiErrorBodyDto] });
  doc.components = {
    ...doc.components,
    schemas: { ...doc.components?.schemas, ...documentedGridSchemas() },
  };
  const errorBody = { 'application/json': { schema: { $ref: getSchemaPath(ApiErrorBodyDto) } } };
  for (const operations of Object.values(doc.paths)) {
    for (const op of Object.values(operations) as { responses?: Record<string, object> }[]) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (Number(status) >= 400 && !('content' in response)) {
          Object.assign(response, { content: errorBody });
        }
      }
    }
  }
  return doc;
}
