import { documentGrid } from '../../src/modules/document/document.grid';
import { ADMIN, login, seedDemo, sql } from '../support/fixtures';
import type { Row } from '../support/grid-check';
import type { Params, ValuesBody } from '../support/grid-client';
import { GridClient } from '../support/grid-client';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

jest.setTimeout(120_000);

const CAP = 5;

/**
 * Value discovery of documents: from the kept counts (exact, whatever the
 * size) when the other filters are on folder or organization only, else one
 * pass over at most GRID_VALUES_COUNT_CAP rows (here 5) per value, with
 * `exact: false` on the counts that are lower bounds. The oracle is the
 * caller's own rows, read through the grid.
 */
describe('documents value discovery (kept and capped counts)', () => {
  let t: TestApp;
  const callers: { name: string; grid: GridClient }[] = [];
  let finance: number;

  beforeAll(async () => {
    t = await startTestApp({ GRID_VALUES_COUNT_CAP: String(CAP) });
    await seedDemo(t.db.url);
    // Rows without a type or mime type: the NULL buckets.
    await sql(
      t.db.url,
      `UPDATE documents SET document_type_id = NULL, mime_type = NULL WHERE id % 4 = 0`,
    );
    [{ id: finance }] = await sql<{ id: number }>(
      t.db.url,
      `SELECT f.id FROM folders f JOIN organizations o ON o.id = f.organization_id
       WHERE o.slug = 'acme' AND f.name = 'Finance'`,
    );
    for (const [name, email, password] of [
      ['a folder-scoped user', 'finance@acme.example', undefined],
      ['a clerk', 'clerk@acme.example', undefined],
      ['an organization admin', 'admin@acme.example', undefined],
      ['the platform admin', ADMIN.email, ADMIN.password],
    ] as const) {
      const auth = await login(t.server, email, password);
      callers.push({ name, grid: new GridClient(t.server, '/api/documents', auth) });
    }
  });
  afterAll(async () => t.close());

  /** value → count among rows, as the API writes values. */
  function tally(rows: Row[], key: string): Map<unknown, number> {
    const m = new Map<unknown, number>();
    for (const r of rows) m.set(r[key] ?? null, (m.get(r[key] ?? null) ?? 0) + 1);
    return m;
  }

  function asMap(body: ValuesBody): Map<unknown, number> {
    return new Map(body.data.map((v) => [v.value, v.count]));
  }

  const columns = documentGrid.columns.filter((c) => c.discoverable).map((c) => c.key);

  it.each(columns)('%s: exact kept counts with no filter or a folder filter', async (key) => {
    let larger = 0;
    for (const { name, grid } of callers) {
      for (const params of [{}, { 'filter[folderId][in]': String(finance) }] as Params[]) {
        // The column's own filter is not applied to its values (a dropdown shows the alternatives).
        const rows = await grid.all(key === 'folderId' ? {} : params);
        const body = await grid.values(key, { ...params, limit: '500' });
        expect({ name, params, counts: asMap(body) }).toEqual({
          name,
          params,
          counts: tally(rows, key),
        });
        // Exact: no `exact` field at all.
        expect(body.data.filter((v) => 'exact' in v)).toEqual([]);
        larger += body.data.filter((v) => v.count > CAP).length;
      }
    }
    // Counts past the cap, still exact: these came from the kept counts.
    expect(larger).toBeGreaterThan(0);
  });

  it.each(columns)('%s: bounded counts under another filter or a search', async (key) => {
    let lowerBounds = 0;
    let complete = 0;
    const filters: Params[] = [
      key === 'mimeType'
        ? { 'filter[status]': 'active' }
        : { 'filter[mimeType]': 'application/pdf' },
      { gridSearch: 'Invoice' },
      { gridSearch: 'Contract', 'filter[status]': 'archived' },
    ];
    for (const { name, grid } of callers) {
      for (const params of filters) {
        const { gridSearch, ...filter } = params;
        const own = Object.keys(filter).filter((k) => k.startsWith(`filter[${key}]`));
        for (const k of own) delete filter[k];
        const rows = await grid.all(gridSearch ? { ...filter, search: gridSearch } : filter);
        const body = await grid.values(key, { ...params, limit: '500' });
        const want = tally(rows, key);
        for (const v of body.data) {
          const n = want.get(v.value);
          const where = { name, params, value: v.value, count: v.count, exact: v.exact, n };
          // Every value answered is present; exact counts are the count, others at least that many.
          expect(where).toEqual({ ...where, n: expect.any(Number) });
          if (v.exact === undefined) expect(where).toEqual({ ...where, count: n });
          else {
            expect(v.count).toBeGreaterThan(0);
            expect(v.count).toBeLessThanOrEqual(Math.min(n!, CAP));
          }
        }
        if (body.data.every((v) => v.exact === undefined)) {
          // All exact: the pass read every row, so every value is there.
          expect({ name, params, values: asMap(body) }).toEqual({ name, params, values: want });
          complete++;
        } else lowerBounds++;
        const shown = body.data.map((v) => v.count);
        expect(shown).toEqual([...shown].sort((x, y) => y - x));
      }
    }
    expect(lowerBounds).toBeGreaterThan(0);
    expect(complete).toBeGreaterThan(0);
  });

  it('searches within kept values by label', async () => {
    const [, clerk] = callers;
    const body = await clerk.grid.values('folderId', { search: 'fin' });
    expect(body.data.length).toBeGreaterThan(0);
    for (const v of body.data) {
      expect(v.label.toLowerCase()).toContain('fin');
      expect(v.exact).toBeUndefined();
    }
  });
});
