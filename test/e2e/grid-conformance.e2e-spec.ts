import { gridDefinitionProblems } from '../../src/core/grid/grid-definition.check';
import { operatorsOf, withTieBreaker } from '../../src/core/grid/grid-query.parser';
import { sortColumnByKey } from '../../src/core/grid/grid-sort';
import { RESOURCES } from '../../src/modules/resource/resources';
import type {
  GridColumn,
  GridDefinition,
  Operator,
  SortTerm,
} from '../../src/core/grid/grid.types';
import { login, seedDemo, sql } from '../support/fixtures';
import type { Row } from '../support/grid-check';
import {
  edgeValues,
  filterCases,
  inPromisedOrder,
  satisfies,
  typedOperand,
} from '../support/grid-check';
import {
  badRequests,
  discoverable,
  filterable,
  filterPairs,
  injectionPayloads,
  sortable,
} from '../support/grid-cases';
import type { GridPageBody, Params } from '../support/grid-client';
import { GridClient } from '../support/grid-client';
import type { GridUnderTest } from '../support/grid-registry';
import { GRIDS, ORG_ADMINS, PLATFORM_ADMIN } from '../support/grid-registry';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

type Scalar = string | number | boolean | null;

// Hundreds of requests per test: far above Jest's default of 5 s on a shared machine.
jest.setTimeout(120_000);

/**
 * One database and one pair of apps for every grid: starting, seeding and
 * dropping them per grid cost about as much as a grid's checks. Each entry's
 * arrange runs once (mails and the inbox share theirs), before any check; each
 * grid reads its rows afresh before its own checks, after the earlier grids
 * have added theirs (copies inserted while paging), so every grid is checked
 * against a database that also holds the others' variety.
 */
let t: TestApp;
/** The same database, served with GRID_COUNT_CAP=5 and GRID_MAX_OFFSET=30. */
let capped: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await seedDemo(t.db.url);
  for (const arrange of new Set(GRIDS.map((g) => g.arrange))) await arrange?.(t.db.url);
  capped = await startTestApp({ GRID_COUNT_CAP: '5', GRID_MAX_OFFSET: '30' }, t.db);
});
afterAll(async () => {
  await capped?.close();
  await t?.close();
});

it('registers every declared resource (src/modules/resource/resources.ts) for the checks below', () => {
  const names = (defs: readonly GridDefinition[]) => defs.map((d) => d.name).sort();
  expect(names(GRIDS.map((g) => g.definition))).toEqual(names(RESOURCES.map((r) => r.grid)));
});

/**
 * Every module grid, checked against its own definition (test/support/grid-registry.ts):
 * what the definition declares, the API does.
 */
describe.each(GRIDS.map((g): [string, GridUnderTest] => [g.url, g]))('grid %s', (_url, grid) => {
  const def = grid.definition;
  /** A declared column, or the label a reference column is sorted by. */
  const col = (key: string) => sortColumnByKey(def, key) as GridColumn;
  const tenant = RESOURCES.find((r) => r.grid === def)?.rows.tenant;
  const orgColumn = def.columns.find((c) => c.sql === tenant);
  let viewer: GridClient;
  /** Every row the viewer sees, in the default order, read before any check. */
  let universe: Row[];
  /** Values of columns the rows do not carry (selected: false), by column and id. */
  const hidden = new Map<string, Map<unknown, Scalar>>();

  /** A row's value of a column; labels are row fields too (folderName beside folderId). */
  const valueOf = (r: Row, key: string): Scalar =>
    key in r ? ((r[key] ?? null) as Scalar) : (hidden.get(key)?.get(r[def.idColumn]) ?? null);
  const ids = (rows: Row[]) => rows.map((r) => r[def.idColumn]);
  const promisedOrder = (rows: Row[], sort: SortTerm[]) =>
    inPromisedOrder(
      t.db.url,
      sort.map((term) => ({ term, type: col(term.column).type })),
      rows.map((r) => sort.map((s) => valueOf(r, s.column))),
    );
  const countBy = (rows: Row[], key: string) => {
    const m = new Map<string, number>();
    for (const r of rows) {
      const k = String(valueOf(r, key));
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  };

  beforeAll(async () => {
    const v = grid.viewer ?? PLATFORM_ADMIN;
    viewer = new GridClient(t.server, grid.url, await login(t.server, v.email, v.password));
    universe = await viewer.all();
    const id = col(def.idColumn);
    for (const c of def.columns.filter((x) => x.selected === false)) {
      const rows = await sql<{ id: unknown; v: Scalar }>(
        t.db.url,
        `SELECT ${id.sql} AS id, ${c.sql} AS v FROM ${def.from}`,
      );
      hidden.set(c.key, new Map(rows.map((r) => [r.id, r.v])));
    }
  });
  it('is well-formed, has enough rows to mean something, and describes its columns as declared', async () => {
    expect(gridDefinitionProblems(def)).toEqual([]);
    expect(universe.length).toBeGreaterThanOrEqual(20);
    const res = await viewer.get({}, '/columns').expect(200);
    const described = res.body as { key: string; sortable: boolean; discoverable: boolean }[];
    expect(described.map((c) => c.key)).toEqual(def.columns.map((c) => c.key));
    expect(described.filter((c) => c.sortable).map((c) => c.key)).toEqual(
      sortable(def).map((c) => c.key),
    );
  });

  it('lists in the default sort, which pages follow', async () => {
    const first = await viewer.page();
    expect(first.sort).toEqual(def.defaultSort);
    expect(first.page).toMatchObject({ limit: 50, hasMore: universe.length > 50 });
    expect(ids(await viewer.all({}, 50))).toEqual(ids(universe));
    expect(await promisedOrder(universe, withTieBreaker(def, [...def.defaultSort]))).toBe(true);
  });

  it.each(filterPairs(def))(
    'filter[%s][%s] keeps exactly the rows it promises',
    async (key: string, op: Operator) => {
      const c = col(key);
      const present = universe.map((r) => valueOf(r, key));
      for (const fc of filterCases(c, op, present)) {
        const rows = await viewer.all({ [`filter[${key}][${op}]`]: fc.raw });
        const wrong = rows.filter((r) => !satisfies(c, op, fc.operands, valueOf(r, key)));
        expect({ raw: fc.raw, wrong: wrong.map((r) => [r.id, valueOf(r, key)]) }).toEqual({
          raw: fc.raw,
          wrong: [],
        });
        const expected = universe.filter((r) => satisfies(c, op, fc.operands, valueOf(r, key)));
        expect(new Set(ids(rows))).toEqual(new Set(ids(expected)));
      }
    },
  );

  it.each(sortable(def).map((c) => [c.key]))(
    'sort=%s ascending and descending orders every row, nulls last',
    async (key: string) => {
      for (const direction of ['asc', 'desc'] as const) {
        const sortParam = `${direction === 'desc' ? '-' : ''}${key}`;
        const first = await viewer.page({ sort: sortParam, limit: '1' });
        expect(first.sort).toEqual([{ column: key, direction }]);
        const rows = await viewer.all({ sort: sortParam }, 7);
        expect(rows).toHaveLength(universe.length);
        expect(new Set(ids(rows))).toEqual(new Set(ids(universe)));
        const sort = withTieBreaker(def, [{ column: key, direction }]);
        expect([sortParam, await promisedOrder(rows, sort)]).toEqual([sortParam, true]);
        const firstNull = rows.findIndex((r) => valueOf(r, key) === null);
        if (firstNull >= 0) {
          expect(col(key).nullable).toBe(true);
          expect(rows.slice(firstNull).every((r) => valueOf(r, key) === null)).toBe(true);
        }
      }
    },
  );

  it('pages a sort of two columns in opposite directions', async () => {
    const [a, b] = sortable(def).filter((c) => c.key !== def.idColumn);
    if (!b) return;
    for (const [da, db] of [
      ['asc', 'desc'],
      ['desc', 'asc'],
    ] as const) {
      const sortParam = `${da === 'desc' ? '-' : ''}${a.key},${db === 'desc' ? '-' : ''}${b.key}`;
      const rows = await viewer.all({ sort: sortParam }, 9);
      expect(new Set(ids(rows))).toEqual(new Set(ids(universe)));
      const sort = withTieBreaker(def, [
        { column: a.key, direction: da },
        { column: b.key, direction: db },
      ]);
      expect([sortParam, await promisedOrder(rows, sort)]).toEqual([sortParam, true]);
    }
  });

  it('pages on from a row whose sort value is the longest text', async () => {
    for (const c of sortable(def).filter((x) => x.type === 'text')) {
      const rows = await viewer.all({ sort: c.key });
      const lengths = rows.map((r) => String(valueOf(r, c.key) ?? '').length);
      const at = lengths.indexOf(Math.max(...lengths));
      if (at === rows.length - 1) continue;
      const page = await viewer.page({ sort: c.key, limit: String(at + 1) });
      expect(page.page.nextCursor).toEqual(expect.any(String));
      const next = await viewer.page({ sort: c.key, cursor: page.page.nextCursor as string });
      expect(next.data[0]?.id).toEqual(rows[at + 1].id);
    }
  });

  it.each(filterable(def).map((c) => [c.key]))(
    'filter[%s] takes the extreme values its type allows without a database error',
    async (key: string) => {
      const c = col(key);
      for (const op of operatorsOf(c).filter((o) => o !== 'isNull' && o !== 'between')) {
        for (const raw of edgeValues(c)) {
          const param = `filter[${key}][${op}]`;
          const rows = await viewer.all({
            [param]: op === 'in' || op === 'nin' ? `${raw},${raw}` : raw,
          });
          const wrong = rows.filter(
            (r) => !satisfies(c, op, [typedOperand(c, raw)], valueOf(r, key)),
          );
          expect([param, raw, wrong.length]).toEqual([param, raw, 0]);
        }
      }
    },
  );

  it.each(badRequests(def).map((b) => [b.what, b]))(
    'refuses %s with 400, its code and the parameter',
    async (_what, b) => {
      const res = await viewer.get(b.params, b.path ?? '').expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: b.code, parameter: b.parameter });
      expect(res.body.message).toEqual(expect.any(String));
    },
  );

  it('refuses repeated parameters, cursors of another sort, filter or search, and tampered ones', async () => {
    const repeated = await viewer.get({}, '?limit=1&limit=2').expect(400);
    expect(repeated.body).toMatchObject({ code: 'GRID_REPEATED_PARAMETER', parameter: 'limit' });
    const { nextCursor } = (await viewer.page({ limit: '2' })).page;
    const cursor = nextCursor as string;
    const other = sortable(def).find((c) => c.key !== def.defaultSort[0].column) as GridColumn;
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { v: unknown[] };
    const forge = (v: unknown[]) =>
      Buffer.from(JSON.stringify({ ...decoded, v })).toString('base64url');
    // Made under another sort, filter or search: stale, start again. Not a cursor: invalid.
    const searchable = def.columns.some((c) => c.searchable);
    const STALE = 'GRID_CURSOR_STALE';
    const INVALID = 'GRID_INVALID_CURSOR';
    for (const [what, params, code] of [
      ['another sort', { sort: other.key, cursor }, STALE],
      ['the reverse direction', { sort: `-${other.key}`, cursor }, STALE],
      ['a filter added', { [`filter[${def.idColumn}][gt]`]: '0', cursor }, STALE],
      ...(searchable ? [['a search added', { search: 'a', cursor }, STALE]] : []),
      ['truncated', { cursor: cursor.slice(0, -6) }, INVALID],
      ['a value of the wrong type', { cursor: forge(decoded.v.map(() => ({ x: 1 }))) }, INVALID],
      ['one value too many', { cursor: forge([...decoded.v, 1]) }, INVALID],
      ['the id as text', { cursor: forge([...decoded.v.slice(0, -1), 'one']) }, INVALID],
    ] as [string, Params, string][]) {
      const res = await viewer.get(params);
      expect([what, res.status, res.body.code, res.body.parameter]).toEqual([
        what,
        400,
        code,
        'cursor',
      ]);
    }
    // The filter changed between two pages.
    const filtered = { [`filter[${def.idColumn}][gt]`]: '0' };
    const onFiltered = (await viewer.page({ ...filtered, limit: '1' })).page.nextCursor as string;
    expect(
      (await viewer.get({ [`filter[${def.idColumn}][gt]`]: '1', cursor: onFiltered })).body.code,
    ).toBe(STALE);
    expect((await viewer.get({ ...filtered, cursor: onFiltered })).status).toBe(200);
  });

  it('counts exactly, capped, or by estimate, beside the rows', async () => {
    expect((await viewer.page()).total).toBeNull();
    expect((await viewer.page({ count: 'exact' })).total).toEqual({
      value: universe.length,
      exact: true,
    });
    // A small set (under the cap) is counted even when an estimate is asked for.
    expect((await viewer.page({ count: 'estimate' })).total).toEqual({
      value: universe.length,
      exact: true,
    });
    const sortedIds = ids(universe)
      .map(Number)
      .sort((a, b) => a - b);
    const median = sortedIds[Math.floor(sortedIds.length / 2)];
    const params = { [`filter[${def.idColumn}][gt]`]: String(median) };
    const filtered = universe.filter((r) => Number(r[def.idColumn]) > median);
    expect(filtered.length).toBeGreaterThan(0);
    expect((await viewer.page({ ...params, count: 'exact' })).total).toEqual({
      value: filtered.length,
      exact: true,
    });

    const cappedViewer = new GridClient(capped.server, grid.url, await loginAs(capped));
    expect((await cappedViewer.page({ count: 'exact', limit: '2' })).total).toEqual({
      value: 5,
      exact: false,
    });
    const three = ids(universe.slice(0, 3)).join(',');
    expect(
      (await cappedViewer.page({ [`filter[${def.idColumn}][in]`]: three, count: 'exact' })).total,
    ).toEqual({ value: 3, exact: true });
  });

  it('pages by offset up to the cap and refuses an offset past it', async () => {
    const cappedViewer = new GridClient(capped.server, grid.url, await loginAs(capped));
    for (let offset = 0; offset <= 30; offset += 10) {
      const page = await cappedViewer.page({ offset: String(offset), limit: '10' });
      expect(ids(page.data)).toEqual(ids(universe.slice(offset, offset + 10)));
      if (offset > 0) expect(page.page.offset).toBe(offset);
    }
    const res = await cappedViewer.get({ offset: '31' }).expect(400);
    expect(res.body).toMatchObject({ code: 'GRID_INVALID_OFFSET', parameter: 'offset' });
    await viewer.get({ offset: '5000' }).expect(200);
  });

  it.each(discoverable(def).map((c) => [c.key]))(
    'discovers the values of %s: counts add up, its own filter dropped, the others kept',
    async (key: string) => {
      const c = col(key);
      const all = await viewer.values(key, { limit: '500' });
      expect(all.hasMore).toBe(false);
      expect(all.data.reduce((n, v) => n + v.count, 0)).toBe(universe.length);
      const expected = countBy(universe, key);
      expect(new Map(all.data.map((v) => [String(v.value), v.count]))).toEqual(expected);
      for (const v of all.data) {
        const row = universe.find((r) => String(valueOf(r, key)) === String(v.value)) as Row;
        if (v.value === null) expect(v.label).toBe('(empty)');
        else if (c.ref) expect(v.label).toBe(row[c.ref.labelKey] ?? `#${String(v.value)}`);
      }
      // Every value offered can be chosen: its filter takes it and keeps the rows counted.
      if (c.filterable !== false) {
        for (const v of all.data.slice(0, 20)) {
          const choose =
            v.value === null
              ? { [`filter[${key}][isNull]`]: 'true' }
              : { [`filter[${key}]`]: String(v.value) };
          const res = await viewer.get({ ...choose, count: 'exact', limit: '1' });
          expect([v.value, res.status, (res.body as GridPageBody).total]).toEqual([
            v.value,
            200,
            { value: v.count, exact: true },
          ]);
        }
      }
      const chosen = all.data.find((v) => v.value !== null);
      if (c.filterable !== false && chosen) {
        const own = await viewer.values(key, {
          limit: '500',
          [`filter[${key}]`]: String(chosen.value),
        });
        expect(own).toEqual(all);
      }
      const other = discoverable(def).find((x) => x.key !== key && x.filterable !== false);
      if (other) {
        const common = [...countBy(universe, other.key).entries()].sort((a, b) => b[1] - a[1])[0];
        const isNull = common[0] === 'null';
        const param = isNull ? `filter[${other.key}][isNull]` : `filter[${other.key}]`;
        const under = await viewer.values(key, {
          limit: '500',
          [param]: isNull ? 'true' : common[0],
        });
        const kept = universe.filter((r) => String(valueOf(r, other.key)) === common[0]);
        expect(new Map(under.data.map((v) => [String(v.value), v.count]))).toEqual(
          countBy(kept, key),
        );
      }
      if (all.data.length > 1) {
        const one = await viewer.values(key, { limit: '1' });
        expect(one).toEqual({ data: [all.data[0]], hasMore: true });
      }
      const sample = all.data.find((v) => v.value !== null);
      if (sample) {
        const piece = (c.ref ? sample.label : String(sample.value)).slice(0, 3).toUpperCase();
        const found = await viewer.values(key, { search: piece, limit: '500' });
        expect(found.data.length).toBeGreaterThan(0);
        for (const v of found.data)
          expect((c.ref ? v.label : String(v.value)).toLowerCase()).toContain(piece.toLowerCase());
      }
    },
  );

  it('keeps every SQL injection attempt inert, in every parameter', async () => {
    const countRows = async () =>
      (await sql<{ n: number }>(t.db.url, `SELECT count(*)::int AS n FROM ${grid.table}`))[0].n;
    const before = await countRows();
    const textColumns = def.columns.filter((c) => c.searchable);
    for (const p of injectionPayloads(grid.table)) {
      const attempts: [Params, string?][] = [
        [{ sort: p }],
        [{ sort: `${def.defaultSort[0].column},${p}` }],
        [{ [`filter[${p}]`]: '1' }],
        [{ [`filter[${def.idColumn}][${p}]`]: '1' }],
        [{ cursor: p }],
        [{ cursor: Buffer.from(JSON.stringify({ s: p, v: [p, p] })).toString('base64url') }],
        [{ limit: p }],
        [{ offset: p }],
        [{ count: p }],
        [{ [p]: '1' }],
        [{}, `/columns/${encodeURIComponent(p)}/values`],
        [{ search: p }],
      ];
      for (const c of discoverable(def).slice(0, 1))
        attempts.push([{ gridSearch: p }, `/columns/${c.key}/values`]);
      for (const c of filterable(def)) {
        for (const op of ['eq', 'in', 'contains'] as const)
          if (operatorsOf(c).includes(op)) attempts.push([{ [`filter[${c.key}][${op}]`]: p }]);
      }
      // A few at a time: hundreds of requests per grid, most of their time spent waiting.
      for (let i = 0; i < attempts.length; i += 6) {
        const batch = attempts.slice(i, i + 6);
        const statuses = await Promise.all(
          batch.map(async ([params, path]) => (await viewer.get(params, path ?? '')).status),
        );
        batch.forEach(([params, path], k) =>
          expect([p, params, path, statuses[k] === 200 || statuses[k] === 400]).toEqual([
            p,
            params,
            path,
            true,
          ]),
        );
      }
      // Accepted as text, a payload is only ever a literal to match (a grid
      // without searchable columns refuses a search: badRequests).
      if (textColumns.length > 0) {
        const found = await viewer.all({ search: p });
        for (const r of found)
          expect(
            textColumns.some((c) =>
              String(valueOf(r, c.key)).toLowerCase().includes(p.toLowerCase()),
            ),
          ).toBe(true);
      }
      for (const c of discoverable(def)) {
        const res = await viewer.get({ search: p }, `/columns/${c.key}/values`).expect(200);
        for (const v of (res.body as { data: { label: string; value: unknown }[] }).data)
          expect((c.ref ? v.label : String(v.value)).toLowerCase()).toContain(p.toLowerCase());
      }
    }
    expect(await countRows()).toBe(before);
    expect((await viewer.page({ count: 'exact' })).total?.value).toBe(universe.length);
  });

  it("never shows a user of one organization another's rows: list, item, values, count", async () => {
    const tenants = grid.tenants ?? ORG_ADMINS;
    const sides = await Promise.all(
      tenants.map(async (u) => {
        const client = new GridClient(
          t.server,
          grid.url,
          await login(t.server, u.email, u.password),
        );
        const [{ org }] = await sql<{ org: number }>(
          t.db.url,
          'SELECT organization_id AS org FROM users WHERE email = $1',
          [u.email],
        );
        return { client, org, rows: await client.all() };
      }),
    );
    for (const [me, them] of [sides, [...sides].reverse()]) {
      expect(me.rows.length).toBeGreaterThan(0);
      expect(me.org).not.toBe(them.org);
      if (orgColumn) {
        expect(new Set(me.rows.map((r) => valueOf(r, orgColumn.key)))).toEqual(new Set([me.org]));
        const res = await me.client.page({
          [`filter[${orgColumn.key}]`]: String(them.org),
          count: 'exact',
        });
        expect(res).toMatchObject({ data: [], total: { value: 0, exact: true } });
      }
      const mine = new Set(ids(me.rows));
      expect(ids(them.rows).some((id) => mine.has(id))).toBe(false);
      expect((await me.client.page({ count: 'exact' })).total).toEqual({
        value: me.rows.length,
        exact: true,
      });
      if (grid.hasItem !== false) {
        const theirs = String(them.rows[0][def.idColumn]);
        const res = await me.client.get({}, `/${theirs}`).expect(404);
        expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
        await me.client.get({}, `/${String(me.rows[0][def.idColumn])}`).expect(200);
      }
      for (const c of discoverable(def)) {
        const values = await me.client.values(c.key, { limit: '500' });
        expect(values.data.reduce((n, v) => n + v.count, 0)).toBe(me.rows.length);
        if (c === orgColumn) expect(values.data.map((v) => v.value)).toEqual([me.org]);
      }
    }
  });

  it('pages by cursor through rows inserted between pages, missing and repeating nothing', async () => {
    const start = await viewer.all();
    const limit = Math.max(5, Math.floor(start.length / 8));
    const sort = withTieBreaker(def, [...def.defaultSort]);
    const sortValues = async (id: unknown): Promise<Scalar[]> => {
      const idSql = col(def.idColumn).sql;
      const [r] = await sql<Record<string, Scalar>>(
        t.db.url,
        `SELECT ${sort.map((s, i) => `${col(s.column).sql} AS c${i}`).join(', ')} FROM ${def.from} WHERE ${idSql} = $1`,
        [id],
      );
      return sort.map((_, i) => r[`c${i}`]);
    };
    const seen: unknown[] = [];
    const inserted: { id: number; after: boolean }[] = [];
    let cursor: string | null = null;
    do {
      const page = await viewer.page({ limit: String(limit), ...(cursor ? { cursor } : {}) });
      seen.push(...ids(page.data));
      cursor = page.page.nextCursor;
      if (!cursor) break;
      const last = page.data[page.data.length - 1];
      const ahead = start[start.findIndex((r) => r[def.idColumn] === last[def.idColumn]) + 2];
      for (const source of [page.data[0], ahead]) {
        if (!source) continue;
        const id = await grid.insertCopy(t.db.url, source[def.idColumn] as number);
        const after = await inPromisedOrder(
          t.db.url,
          sort.map((term) => ({ term, type: col(term.column).type })),
          [await sortValues(last[def.idColumn]), await sortValues(id)],
        );
        inserted.push({ id, after });
      }
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const seenSet = new Set(seen);
    expect(ids(start).filter((id) => !seenSet.has(id))).toEqual([]);
    expect(inserted.filter((i) => i.after).length).toBeGreaterThan(0);
    expect(inserted.filter((i) => !i.after).length).toBeGreaterThan(0);
    for (const i of inserted) expect([i.id, seenSet.has(i.id)]).toEqual([i.id, i.after]);
  });

  async function loginAs(app: TestApp) {
    const v = grid.viewer ?? PLATFORM_ADMIN;
    return login(app.server, v.email, v.password);
  }
});
