import type { ApiErrorBody, GridPath, Schemas } from '../../client';
import { createPostroomClient } from '../../client';

/**
 * Where the API is: `?api=https://postroom.example` when the console is served
 * from another origin (the API's CORS_ORIGINS must list the console's origin),
 * otherwise the origin that served the console.
 */
export function apiBase(): string {
  const fromQuery = new URLSearchParams(location.search).get('api');
  return (fromQuery ?? location.origin).replace(/\/+$/, '');
}

const TOKEN_KEY = 'postroom.console.token';

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

/** The typed client (client/schema.d.ts), signed in when a token is stored. */
export function api() {
  const token = storedToken();
  return createPostroomClient({
    baseUrl: apiBase(),
    ...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}),
  });
}

export type Api = ReturnType<typeof api>;
export type ColumnDescription = Schemas['ColumnDescriptionDto'];
export type ColumnValues = Schemas['ColumnValuesDto'];
export type Row = Record<string, unknown> & { id: number; version?: number };

/** A grid page of any module: rows typed per module in the client, generic here. */
export interface AnyGridPage {
  data: Row[];
  page: Schemas['GridPageInfoDto'];
  total: Schemas['GridTotalDto'] | null;
}

/** An API error as thrown by the console's calls. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<ApiErrorBody>,
  ) {
    super(body.message ?? `HTTP ${status}`);
  }
}

/** Throws the error body of a failed openapi-fetch call, returns its data otherwise. */
export function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined || !result.response.ok) {
    const body: Partial<ApiErrorBody> = result.error ?? {};
    throw new ApiError(result.response.status, body);
  }
  return result.data;
}

/** A grid's list route, its /columns or a column's /values. */
export type ListPath = Exclude<GridPath, `${string}{${string}`>;
export type GridRoute = ListPath | `${ListPath}/columns` | `${ListPath}/columns/${string}/values`;

/**
 * A grid route by its path (the grid pages are generic over every module, so
 * this one call is untyped in the path; the bodies use the generated schemas).
 */
export async function gridGet<T>(path: GridRoute, query: Record<string, string>): Promise<T> {
  const token = storedToken();
  const url = `${apiBase()}${path}${Object.keys(query).length ? `?${new URLSearchParams(query).toString()}` : ''}`;
  const res = await fetch(url, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  const body = (await res.json()) as unknown;
  if (!res.ok) throw new ApiError(res.status, body as Partial<ApiErrorBody>);
  return body as T;
}

/** A PATCH of a row of any module (the edit cell's save), with the version it read. */
export async function patchRow(
  path: `${ListPath}/${number}`,
  body: Record<string, unknown>,
): Promise<Row> {
  const token = storedToken();
  const res = await fetch(`${apiBase()}${path}`, {
    method: 'PATCH',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as unknown;
  if (!res.ok) throw new ApiError(res.status, answer as Partial<ApiErrorBody>);
  return answer as Row;
}
