/**
 * The Postroom API client for TypeScript frontends: openapi-fetch over the types
 * openapi-typescript generates from openapi.json (`npm run openapi` writes both;
 * never edit schema.d.ts by hand).
 *
 *   const api = createPostroomClient({ baseUrl: 'https://postroom.example' });
 *   const { data } = await api.GET('/api/folders', {
 *     params: { query: { sort: ['-created_on'], filter: { name: { contains: 'inv' } } } },
 *   });
 */
import createClient from 'openapi-fetch';
import type { ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, operations, paths } from './schema';

/** Every named schema: Schemas['FoldersGridRow'], Schemas['CreateFolderDto'], … */
export type Schemas = components['schemas'];

/** The error body of every 4xx and 5xx answer. */
export type ApiErrorBody = Schemas['ApiErrorBody'];

/** The grids by the path of their list route ('/api/folders', '/api/inbox', …). */
export type GridPath = {
  [P in keyof paths]: paths[P] extends {
    get: {
      responses: { 200: { content: { 'application/json': { data: unknown[]; page: unknown } } } };
    };
  }
    ? P
    : never;
}[keyof paths];

/** A page of a grid, by its list path. */
export type GridPage<P extends GridPath> =
  paths[P]['get']['responses'][200]['content']['application/json'];

/** A row of a grid, by its list path: GridRow<'/api/folders'>. */
export type GridRow<P extends GridPath> = GridPage<P>['data'][number];

/** A grid's column keys (the fields of its rows), by its list path. */
export type GridColumnKey<P extends GridPath> = keyof GridRow<P> & string;

const encode = (v: unknown): string =>
  encodeURIComponent(typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

/**
 * Query strings as the grids read them: arrays as comma lists (sort=-name,id),
 * objects as filter[column]=value and filter[column][operator]=value (the
 * document's deepObject, one level deeper for operators), the rest as is.
 */
export function postroomQuery(query: Record<string, unknown>): string {
  const parts: string[] = [];
  const add = (key: string, value: unknown): void => {
    if (value === undefined) return;
    if (Array.isArray(value)) {
      parts.push(`${key}=${value.map((v) => encode(v)).join(',')}`);
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) add(`${key}[${k}]`, v);
    } else {
      parts.push(`${key}=${encode(value)}`);
    }
  };
  for (const [key, value] of Object.entries(query)) add(key, value);
  return parts.join('&');
}

/** A client of the Postroom API; pass the token with headers: { Authorization: `Bearer ${token}` }. */
export function createPostroomClient(options: ClientOptions = {}) {
  return createClient<paths>({ querySerializer: postroomQuery, ...options });
}
