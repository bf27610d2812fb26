import type { Server } from 'node:http';
import request from 'supertest';

export type Row = Record<string, unknown>;
export type Headers = { Authorization: string };

/** GET a grid page (or any JSON route) and return the body, expecting the status. */
export async function getJson(
  server: Server,
  path: string,
  headers: Headers,
  query: Record<string, string | number> = {},
  status = 200,
): Promise<Record<string, unknown>> {
  const res = await request(server).get(path).query(query).set(headers);
  if (res.status !== status) {
    throw new Error(
      `GET ${path} ${JSON.stringify(query)}: ${res.status} ${JSON.stringify(res.body)}`,
    );
  }
  return res.body as Record<string, unknown>;
}

/** Every row of a grid, page by page along nextCursor. */
export async function pageAll(
  server: Server,
  path: string,
  headers: Headers,
  query: Record<string, string | number> = {},
  limit = 7,
): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const body = await getJson(server, path, headers, {
      ...query,
      limit,
      ...(cursor ? { cursor } : {}),
    });
    rows.push(...(body.data as Row[]));
    cursor = (body.page as { nextCursor: string | null }).nextCursor;
    if (!cursor) return rows;
  }
  throw new Error(`${path}: more than 1000 pages`);
}

export const ids = (rows: Row[]): number[] => rows.map((r) => Number(r.id));
