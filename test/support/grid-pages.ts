import request from 'supertest';
import type { Server } from 'node:http';

export type Headers = Record<string, string>;
export type Row = Record<string, unknown> & { id: number };

/** Every row of a grid, page by page along nextCursor (checks that paging ends). */
export async function pageAll(
  server: Server,
  path: string,
  headers: Headers,
  query: Record<string, string | number> = {},
): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const res: request.Response = await request(server)
      .get(path)
      .query({ ...query, ...(cursor ? { cursor } : {}) })
      .set(headers)
      .expect(200);
    rows.push(...(res.body.data as Row[]));
    cursor = res.body.page.nextCursor as string | null;
    if (!cursor) return rows;
  }
  throw new Error(`${path}: paging did not end`);
}

/** The rows of one grid request (expects 200). */
export async function gridRows(
  server: Server,
  path: string,
  headers: Headers,
  query: Record<string, string | number> = {},
): Promise<Row[]> {
  const res = await request(server).get(path).query(query).set(headers).expect(200);
  return res.body.data as Row[];
}
