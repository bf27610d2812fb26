import type { Server } from 'node:http';
import request from 'supertest';
import type { Row } from './grid-check';

export type Params = Record<string, string>;
type Auth = { Authorization: string };

export interface GridPageBody {
  data: Row[];
  page: { limit: number; nextCursor: string | null; hasMore: boolean; offset?: number };
  total: { value: number; exact: boolean } | null;
  sort: { column: string; direction: 'asc' | 'desc' }[];
}

export interface ValuesBody {
  data: { value: string | number | boolean | null; label: string; count: number; exact?: false }[];
  hasMore: boolean;
}

/** Query strings written by hand: keys such as filter[a][eq] must reach the server verbatim. */
export function queryString(params: Params): string {
  const parts = Object.entries(params).map(
    ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`,
  );
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** One grid's HTTP surface for one signed-in user. */
export class GridClient {
  constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly auth: Auth,
  ) {}

  get(params: Params = {}, path = ''): request.Test {
    return request(this.server)
      .get(`${this.url}${path}${queryString(params)}`)
      .set(this.auth);
  }

  async page(params: Params = {}): Promise<GridPageBody> {
    const res = await this.get(params);
    if (res.status !== 200)
      throw new Error(`GET ${this.url}${queryString(params)}: ${res.status} ${res.text}`);
    return res.body as GridPageBody;
  }

  /** Every row under the params, following nextCursor; fails on a repeated id. */
  async all(params: Params = {}, limit = 500): Promise<Row[]> {
    const rows: Row[] = [];
    const seen = new Set<unknown>();
    let cursor: string | null = null;
    for (let pages = 0; pages < 10_000; pages++) {
      const body: GridPageBody = await this.page({
        ...params,
        limit: String(limit),
        ...(cursor ? { cursor } : {}),
      });
      for (const r of body.data) {
        if (seen.has(r.id)) throw new Error(`row ${String(r.id)} came twice`);
        seen.add(r.id);
        rows.push(r);
      }
      cursor = body.page.nextCursor;
      if (!cursor) return rows;
    }
    throw new Error('paging did not end');
  }

  async values(column: string, params: Params = {}): Promise<ValuesBody> {
    const res = await this.get(params, `/columns/${encodeURIComponent(column)}/values`);
    if (res.status !== 200) throw new Error(`values of ${column}: ${res.status} ${res.text}`);
    return res.body as ValuesBody;
  }
}
