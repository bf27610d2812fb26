import type { ApiErrorBody, GridPage, GridPath, paths, Schemas } from '../../client';
import { createPostroomClient } from '../../client';
import type { OpenApiDocument, Schema } from './openapi-conformance';
import { answerSchema } from './openapi-conformance';
import type { TestApp } from './test-app';

/** A client of the generated kind (client/index.ts). */
export type Api = ReturnType<typeof createPostroomClient>;

/** openapi-fetch's fetch, answered by the app in-process (no port). */
export function injectFetch(t: TestApp) {
  const fastify = t.app.getHttpAdapter().getInstance();
  return async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const payload = req.body ? Buffer.from(await req.arrayBuffer()) : undefined;
    const res = await fastify.inject({
      method: req.method as 'GET',
      url: url.pathname + url.search,
      headers: Object.fromEntries(req.headers.entries()),
      ...(payload ? { payload } : {}),
    });
    const headers = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : String(v));
    }
    return new Response(res.statusCode === 204 ? null : res.rawPayload, {
      status: res.statusCode,
      headers,
    });
  };
}

/** The generated client against the in-process app, signed in when a token is given. */
export function contractClient(t: TestApp, token?: string): Api {
  return createPostroomClient({
    baseUrl: 'http://postroom.test',
    fetch: injectFetch(t),
    ...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}),
  });
}

/** Signs in through the client; the token. */
export async function signIn(api: Api, email: string, password: string): Promise<string> {
  const { data, error } = await api.POST('/api/auth/login', { body: { email, password } });
  if (!data) throw new Error(`login ${email}: ${JSON.stringify(error)}`);
  return data.token;
}

// ---- A grid's routes by its list path, typed from the generated paths -------------------------

/** The grids with routes of their own (not the assignees of a mail, which take an id). */
export type GridListPath = Exclude<GridPath, `${string}{${string}`>;

/** The query of a grid's list route, as generated. */
export type GridListQuery<P extends GridListPath> = NonNullable<
  paths[P]['get']['parameters']['query']
>;
/** The sort keys of a grid ('name', '-name', …: its sortable columns). */
export type GridSortKey<P extends GridListPath> = NonNullable<GridListQuery<P>['sort']>[number];
/** The filter object of a grid (filter[column]=… or filter[column][op]=…). */
export type GridFilter<P extends GridListPath> = NonNullable<GridListQuery<P>['filter']>;

/**
 * The same query spelled from its parts, so that code generic in P can build one (TypeScript
 * does not relate an object literal to paths[P]['get']['parameters']['query'] for a generic P).
 * QueryMismatch below proves it equal to the generated query of every grid.
 */
export interface GridQuery<P extends GridListPath> {
  sort?: GridSortKey<P>[];
  filter?: GridFilter<P>;
  search?: string;
  limit?: number;
  cursor?: string;
  offset?: number;
  count?: 'none' | 'exact' | 'estimate';
}
type QueryMismatch = {
  [P in GridListPath]: [GridListQuery<P>] extends [GridQuery<P>]
    ? [GridQuery<P>] extends [GridListQuery<P>]
      ? never
      : P
    : P;
}[GridListPath];
export const everyGridQueryAsGenerated: [QueryMismatch] extends [never] ? true : false = true;

type ColumnsPath<P extends GridListPath> = Extract<`${P}/columns`, keyof paths>;
type ValuesPath<P extends GridListPath> = Extract<`${P}/columns/{column}/values`, keyof paths>;

/** A column description of a grid, as its /columns route answers it. */
export type GridColumn<P extends GridListPath> =
  paths[ColumnsPath<P>]['get']['responses'][200]['content']['application/json'][number];
/** The columns whose values the grid's /columns/{column}/values route discovers. */
export type GridValuesColumn<P extends GridListPath> =
  paths[ValuesPath<P>]['get']['parameters']['path']['column'];
export type ColumnValue = Schemas['ColumnValueDto']['value'];

// Every grid the types know has both companion routes (a grid without them fails typecheck).
type MissingCompanions = Exclude<
  `${GridListPath}/columns` | `${GridListPath}/columns/{column}/values`,
  keyof paths
>;
export const everyGridHasCompanions: [MissingCompanions] extends [never] ? true : false = true;

/** What openapi-fetch answers: the typed body, or the error body, and the response. */
export interface Answer<T> {
  data?: T;
  error?: ApiErrorBody;
  response: Response;
}

/** One grid's three routes, typed from paths[P] (list, columns, values). */
export interface GridEndpoints<P extends GridListPath> {
  path: P;
  list(query: GridQuery<P>): Promise<Answer<GridPage<P>>>;
  columns(): Promise<Answer<GridColumn<P>[]>>;
  values(
    column: GridValuesColumn<P>,
    query?: { filter?: GridFilter<P>; search?: string; limit?: number },
  ): Promise<Answer<Schemas['ColumnValuesDto']>>;
}

export function gridEndpoints<P extends GridListPath>(api: Api, path: P): GridEndpoints<P> {
  // Justified cast (the one place): openapi-fetch resolves a call's init and answer types from
  // a literal path (MaybeOptionalInit<paths[Path], 'get'>), which TypeScript cannot evaluate
  // for a path generic in P. This view of the same GET takes the path as a string; the
  // signatures of GridEndpoints<P>, all derived from paths[P], keep every caller typed.
  const get = api.GET as unknown as <T>(
    url: string,
    init?: { params?: { query?: object; path?: object } },
  ) => Promise<Answer<T>>;
  return {
    path,
    list: (query) => get<GridPage<P>>(path, { params: { query } }),
    columns: () => get<GridColumn<P>[]>(`${path}/columns`),
    values: (column, query = {}) =>
      get<Schemas['ColumnValuesDto']>(`${path}/columns/{column}/values`, {
        params: { path: { column }, query },
      }),
  };
}

// ---- What the document says, as type guards (the types are generated from it) ------------------
// openapi.e2e-spec checks that client/schema.d.ts is what openapi-typescript makes of
// openapi.json, and that the served document is the committed one: a guard that reads the
// served document therefore narrows to exactly the generated type.

function resolve(doc: OpenApiDocument, s: Schema | undefined): Schema | undefined {
  if (!s?.$ref) return s;
  return resolve(doc, doc.components.schemas[s.$ref.replace('#/components/schemas/', '')]);
}

interface Parameter {
  name: string;
  in: string;
  schema?: Schema;
}
function parameter(doc: OpenApiDocument, path: string, name: string): Schema | undefined {
  const op = doc.paths[path]?.get as { parameters?: Parameter[] } | undefined;
  return op?.parameters?.find((p) => p.name === name)?.schema;
}

/** The grid list paths of the document: a GET answering a …GridPage, with /columns and /values. */
export function documentGridPaths(doc: OpenApiDocument): GridListPath[] {
  return Object.keys(doc.paths).filter((p): p is GridListPath => {
    const ok = answerSchema(doc, p, 'get', 200);
    return (
      ok?.$ref?.endsWith('GridPage') === true &&
      !p.includes('{') &&
      doc.paths[`${p}/columns`]?.get !== undefined &&
      doc.paths[`${p}/columns/{column}/values`]?.get !== undefined
    );
  });
}

export function isSortKey<P extends GridListPath>(
  doc: OpenApiDocument,
  path: P,
  key: string,
): key is GridSortKey<P> {
  const items = resolve(doc, resolve(doc, parameter(doc, path, 'sort'))?.items);
  return items?.enum?.includes(key) === true;
}

export function isValuesColumn<P extends GridListPath>(
  doc: OpenApiDocument,
  path: P,
  column: string,
): column is GridValuesColumn<P> {
  const schema = resolve(doc, parameter(doc, `${path}/columns/{column}/values`, 'column'));
  return schema?.enum?.includes(column) === true;
}

/**
 * filter[column]=value for a value the column's /values route answered. Note: with a column
 * chosen at run time TypeScript types the computed key as an index signature and does not check
 * the value against that column's filter type (ColumnValueDto.value is the union over column
 * types); the pairing is the document's: the value came from this column's /values route.
 */
export function equalsFilter<P extends GridListPath>(
  column: GridValuesColumn<P>,
  value: ColumnValue,
): GridFilter<P> {
  return { [column]: value };
}

/** A row's field by its key (rows are plain JSON objects). */
export function field(row: object, key: string): unknown {
  return new Map(Object.entries(row)).get(key);
}
