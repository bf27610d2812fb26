import request from 'supertest';
import type { ApiErrorBody, GridRow } from '../../client';
import type { Api, GridColumn, GridEndpoints, GridListPath } from '../support/contract-client';
import {
  contractClient,
  documentGridPaths,
  equalsFilter,
  field,
  gridEndpoints,
  isSortKey,
  isValuesColumn,
  signIn,
} from '../support/contract-client';
import { ADMIN, DEMO_PASSWORD, seedDemo } from '../support/fixtures';
import type { OpenApiDocument } from '../support/openapi-conformance';
import { answerSchema, problems } from '../support/openapi-conformance';
import { dropRedisKeys } from '../support/redis-server';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const RFC3339_JSON = / "\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"$/;
const CAMEL = /^[a-z][a-zA-Z0-9]*$/;

/** The data of an answer, or a failure naming the route and the error body. */
function ok<T>(what: string, a: { data?: T; error?: unknown; response: Response }): T {
  if (a.data === undefined) {
    throw new Error(`${what}: ${a.response.status} ${JSON.stringify(a.error)}`);
  }
  return a.data;
}

/** Values of one column in the grid's order: numbers, RFC 3339 strings and dates compare as is. */
function ordered(values: unknown[], direction: 'asc' | 'desc'): boolean {
  const present = values.filter((v): v is number | string => v !== null && v !== undefined);
  return present.every((v, i) => {
    if (i === 0) return true;
    const prev = present[i - 1];
    return direction === 'asc' ? prev <= v : prev >= v;
  });
}

/** Columns whose order JavaScript compares as PostgreSQL does (no collation involved). */
const COMPARABLE = new Set(['integer', 'number', 'datetime', 'date']);

interface GridWalk {
  path: GridListPath;
  as?: string;
  rows: number;
  sortedBy: string;
  filteredBy: string | null;
  pages: number;
  total: number;
}

/**
 * A frontend's day: the grids, an edit and its conflict, the inbox, a batch. All through the
 * generated client; the app runs with APP_ROLE all so that a batch is processed to its end.
 */
describe('contract: a frontend’s day through the generated client', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let admin: Api;
  let clerk: Api;
  let platform: Api;
  const walks: GridWalk[] = [];

  const conforms = (value: unknown, path: string, method: string, status: number) => {
    const schema = answerSchema(doc, path, method, status);
    if (!schema) throw new Error(`${method} ${path} ${status}: no schema in the document`);
    expect({ path, status, problems: problems(doc, value, schema) }).toEqual({
      path,
      status,
      problems: [],
    });
  };

  beforeAll(async () => {
    t = await startTestApp({
      APP_ROLE: 'all',
      BATCH_SWEEP_INTERVAL_MS: '500',
      WORKER_HEARTBEAT_TTL_SECONDS: '2',
    });
    await seedDemo(t.db.url);
    doc = (await request(t.server).get('/docs-json').expect(200)).body as OpenApiDocument;
    const anonymous = contractClient(t);
    admin = contractClient(t, await signIn(anonymous, 'admin@acme.example', DEMO_PASSWORD));
    clerk = contractClient(t, await signIn(anonymous, 'clerk@acme.example', DEMO_PASSWORD));
    platform = contractClient(t, await signIn(anonymous, ADMIN.email, ADMIN.password));
  });
  afterAll(async () => {
    await t.close();
    // The worker's queue keys (APP_ROLE all), under this app's own prefix.
    await dropRedisKeys(t.cfg.redis.url, t.cfg.redis.keyPrefix);
  });

  it('signs in as an organization member and reads me and its tabs', async () => {
    const me = ok('GET /api/me', await clerk.GET('/api/me'));
    conforms(me, '/api/me', 'get', 200);
    expect(me.user.email).toBe('clerk@acme.example');
    expect(me.organization?.name).toBe('Acme Logistics');
    expect(me.tabs).toEqual(expect.arrayContaining(['mail']));
    expect(me.tabs).not.toContain('organization');
    for (const key of Object.keys(me)) expect(key).toMatch(CAMEL);
    const adminMe = ok('GET /api/me', await admin.GET('/api/me'));
    expect(adminMe.tabs.length).toBeGreaterThanOrEqual(me.tabs.length);
  });

  it('reads an item, edits it with its version, and a stale version is a typed 409', async () => {
    const list = ok(
      'GET /api/documents',
      await admin.GET('/api/documents', { params: { query: { limit: 1 } } }),
    );
    const id = list.data[0].id;
    const item = ok(
      'GET /api/documents/{id}',
      await admin.GET('/api/documents/{id}', { params: { path: { id } } }),
    );
    conforms(item, '/api/documents/{id}', 'get', 200);
    expect(item.updatedOn).toMatch(RFC3339);

    const title = `Contract ${Date.now()}`;
    const edited = ok(
      'PATCH /api/documents/{id}',
      await admin.PATCH('/api/documents/{id}', {
        params: { path: { id } },
        body: { title, version: item.version },
      }),
    );
    conforms(edited, '/api/documents/{id}', 'patch', 200);
    expect(edited).toMatchObject({ id, title, version: item.version + 1, status: item.status });

    const again = await admin.PATCH('/api/documents/{id}', {
      params: { path: { id } },
      body: { title: `${title} again`, version: item.version },
    });
    expect(again.response.status).toBe(409);
    const conflict: ApiErrorBody | undefined = again.error;
    expect(conflict?.code).toBe('VERSION_CONFLICT');
    conforms(conflict, '/api/documents/{id}', 'patch', 409);
    const after = ok(
      'GET /api/documents/{id}',
      await admin.GET('/api/documents/{id}', { params: { path: { id } } }),
    );
    expect(after.title).toBe(title);
  });

  it('assigns a mail to a candidate, who sees it in the inbox and moves its status', async () => {
    const fresh = ok(
      'GET /api/mails',
      await admin.GET('/api/mails', {
        params: { query: { filter: { status: 'new' }, sort: ['-id'], limit: 1 } },
      }),
    );
    const mail = fresh.data[0];
    expect(mail.status).toBe('new');

    const clerkMe = ok('GET /api/me', await clerk.GET('/api/me'));
    const candidates = ok(
      'GET /api/mails/{id}/assignees',
      await admin.GET('/api/mails/{id}/assignees', {
        params: { path: { id: mail.id }, query: { limit: 50 } },
      }),
    );
    conforms(candidates, '/api/mails/{id}/assignees', 'get', 200);
    const candidate = candidates.data.find((u) => u.id === clerkMe.user.id);
    if (!candidate) throw new Error(`the clerk is no candidate for mail ${mail.id}`);

    const assigned = ok(
      'POST /api/mails/{id}/assign',
      await admin.POST('/api/mails/{id}/assign', {
        params: { path: { id: mail.id } },
        body: { userId: candidate.id, version: mail.version },
      }),
    );
    conforms(assigned, '/api/mails/{id}/assign', 'post', 200);
    expect(assigned).toMatchObject({ id: mail.id, status: 'assigned', assignedTo: candidate.id });
    expect(assigned.assignedOn).toMatch(RFC3339);

    const inbox = ok(
      'GET /api/inbox',
      await clerk.GET('/api/inbox', { params: { query: { filter: { id: mail.id } } } }),
    );
    conforms(inbox, '/api/inbox', 'get', 200);
    expect(inbox.data.map((r) => [r.id, r.assignedTo])).toEqual([[mail.id, candidate.id]]);

    const moved = ok(
      'POST /api/mails/{id}/status',
      await clerk.POST('/api/mails/{id}/status', {
        params: { path: { id: mail.id } },
        body: { status: 'in_progress', version: assigned.version },
      }),
    );
    expect(moved).toMatchObject({ id: mail.id, status: 'in_progress' });
    const skip = await clerk.POST('/api/mails/{id}/status', {
      params: { path: { id: mail.id } },
      body: { status: 'archived', version: moved.version },
    });
    expect(skip.response.status).toBe(409);
    expect(skip.error?.code).toBe('MAIL_TRANSITION_NOT_ALLOWED');
    const stillThere = ok(
      'GET /api/inbox',
      await clerk.GET('/api/inbox', {
        params: { query: { filter: { id: mail.id, status: 'in_progress' } } },
      }),
    );
    expect(stillThere.data.map((r) => r.id)).toEqual([mail.id]);
  });

  it('creates a batch and polls it until the worker has processed it', async () => {
    const created = await admin.POST('/api/batches', {
      body: {
        name: 'Contract day',
        source: 'api',
        items: [
          { subject: 'Contract letter 1', sender: 'one@supplier.example' },
          { subject: 'Contract letter 2', sender: 'two@supplier.example', priority: 'high' },
          {
            subject: 'Contract letter 3',
            sender: 'three@supplier.example',
            documentTitle: 'Scan 3',
          },
        ],
      },
    });
    expect(created.response.status).toBe(201);
    const batch = ok('POST /api/batches', created);
    conforms(batch, '/api/batches', 'post', 201);
    expect(batch).toMatchObject({ itemCount: 3, processedCount: 0 });

    const deadline = Date.now() + 20_000;
    let state = batch;
    const seen: string[] = [batch.status];
    while (!['completed', 'completed_with_errors', 'failed', 'cancelled'].includes(state.status)) {
      if (Date.now() > deadline) {
        throw new Error(
          `batch ${batch.id} not processed in 20 s: ${JSON.stringify(state)} (${seen.join(' → ')})`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
      state = ok(
        'GET /api/batches/{id}',
        await admin.GET('/api/batches/{id}', { params: { path: { id: batch.id } } }),
      );
      if (seen[seen.length - 1] !== state.status) seen.push(state.status);
    }
    conforms(state, '/api/batches/{id}', 'get', 200);
    expect(state).toMatchObject({
      status: 'completed',
      processedCount: 3,
      failedCount: 0,
      progress: { processed: 3, failed: 0, remaining: 0, percent: 100 },
    });
    expect(state.finishedOn).toMatch(RFC3339);

    const mails = ok(
      'GET /api/mails',
      await admin.GET('/api/mails', {
        params: { query: { filter: { batchId: batch.id }, sort: ['subject'] } },
      }),
    );
    expect(mails.data.map((m) => [m.subject, m.batchId])).toEqual([
      ['Contract letter 1', batch.id],
      ['Contract letter 2', batch.id],
      ['Contract letter 3', batch.id],
    ]);
  });

  /** Columns, both sort directions, values and a filter by one, cursor pages, count=exact. */
  async function walkGrid<P extends GridListPath>(g: GridEndpoints<P>): Promise<GridWalk> {
    const at = (what: string) => `GET ${g.path}${what}`;
    const columns: GridColumn<P>[] = ok(at('/columns'), await g.columns());
    conforms(columns, `${g.path}/columns`, 'get', 200);
    expect(columns.length).toBeGreaterThan(0);

    // Rows: camelCase keys, RFC 3339 timestamps in every datetime column.
    const first = ok(at(''), await g.list({ limit: 50 }));
    conforms(first, g.path, 'get', 200);
    expect(`${g.path} rows: ${first.data.length > 0}`).toBe(`${g.path} rows: true`);
    const datetimes = columns.filter((c) => c.type === 'datetime').map((c) => c.key);
    expect(`${g.path} datetime columns: ${datetimes.length > 0}`).toBe(
      `${g.path} datetime columns: true`,
    );
    for (const row of first.data) {
      for (const key of Object.keys(row)) expect(`${g.path} ${key}`).toMatch(/ [a-z][a-zA-Z0-9]*$/);
      for (const key of datetimes) {
        const v = field(row, key);
        if (v !== null) expect(`${g.path} ${key} ${JSON.stringify(v)}`).toMatch(RFC3339_JSON);
      }
    }

    // A sortable column, both ways (one whose order JavaScript compares as PostgreSQL does).
    const sortable = columns.filter((c) => c.sortable);
    const sortColumn =
      sortable.find((c) => c.key !== 'id' && COMPARABLE.has(c.type)) ??
      sortable.find((c) => COMPARABLE.has(c.type));
    if (!sortColumn) throw new Error(`${g.path}: no sortable column to compare`);
    const key = sortColumn.key;
    for (const direction of ['asc', 'desc'] as const) {
      const sortKey = direction === 'asc' ? key : `-${key}`;
      if (!isSortKey(doc, g.path, sortKey)) throw new Error(`${g.path}: ${sortKey} not a sort key`);
      const page = ok(at(`?sort=${sortKey}`), await g.list({ sort: [sortKey], limit: 50 }));
      expect(page.sort[0]).toEqual({ column: key, direction });
      const values = page.data.map((r) => field(r, key));
      expect({ path: g.path, sortKey, ordered: ordered(values, direction) }).toEqual({
        path: g.path,
        sortKey,
        ordered: true,
      });
    }

    // A discoverable column: its values, and the grid filtered by one of them.
    const discoverable = columns.filter((c) => c.discoverable).map((c) => c.key);
    expect(discoverable.length).toBeGreaterThan(0);
    // /columns and the document agree on which columns have a /values route.
    expect({
      path: g.path,
      notInDocument: discoverable.filter((c) => !isValuesColumn(doc, g.path, c)),
    }).toEqual({ path: g.path, notInDocument: [] });
    let filteredBy: string | null = null;
    for (const column of discoverable) {
      if (!isValuesColumn(doc, g.path, column)) continue;
      const values = ok(at(`/columns/${column}/values`), await g.values(column));
      conforms(values, `${g.path}/columns/{column}/values`, 'get', 200);
      const pick = values.data.find((v) => v.value !== null && v.count > 0);
      if (!pick) continue;
      const filtered = ok(
        at(`?filter[${column}]=${String(pick.value)}`),
        await g.list({ filter: equalsFilter<P>(column, pick.value), limit: 500, count: 'exact' }),
      );
      expect(filtered.data.length).toBeGreaterThan(0);
      expect(filtered.data.every((r) => field(r, column) === pick.value)).toBe(true);
      // The count the values route gave is the grid's count under that filter.
      expect({ column, total: filtered.total }).toEqual({
        column,
        total: { value: pick.count, exact: true },
      });
      filteredBy = `${column}=${String(pick.value)}`;
      break;
    }
    expect(`${g.path} filtered by ${filteredBy}`).not.toMatch(/by null$/);

    // Cursor pages: limit 2, until the end or 3 pages, no row twice; count=exact beside them.
    const counted = ok(at('?count=exact'), await g.list({ count: 'exact', limit: 2 }));
    expect(counted.total?.exact).toBe(true);
    const total = counted.total?.value ?? -1;
    const seen = new Set<number>();
    let cursor: string | undefined;
    let pages = 0;
    let ended = false;
    while (pages < 3) {
      const page = ok(at(`?cursor=${cursor}`), await g.list({ limit: 2, cursor }));
      pages++;
      for (const row of page.data) {
        const id: GridRow<P>['id'] = row.id;
        expect(`${g.path} ${id} ${seen.has(id) ? 'twice' : 'once'}`).toBe(`${g.path} ${id} once`);
        seen.add(id);
      }
      expect(page.page.hasMore).toBe(page.page.nextCursor !== null);
      if (!page.page.nextCursor) {
        ended = true;
        break;
      }
      cursor = page.page.nextCursor;
    }
    if (ended) expect(seen.size).toBe(total);
    else expect(total).toBeGreaterThan(seen.size);
    return {
      path: g.path,
      rows: first.data.length,
      sortedBy: key,
      filteredBy,
      pages,
      total,
    };
  }

  it('at the end of the day, walks every grid of the document: columns, sort both ways, values and filter, pages, counts', async () => {
    const grids = documentGridPaths(doc);
    expect(grids.length).toBeGreaterThanOrEqual(10);
    for (const path of grids) {
      // As the clerk, as a frontend of the organization would; a grid outside the clerk's
      // tabs (a documented 403) as the organization admin, then the platform administrator.
      let walked = false;
      for (const [as, api] of [
        ['clerk', clerk],
        ['admin', admin],
        ['platform', platform],
      ] as const) {
        const head = await gridEndpoints(api, path).list({ limit: 1 });
        if (head.response.status === 403) {
          conforms(head.error, path, 'get', 403);
          continue;
        }
        walks.push({ ...(await walkGrid(gridEndpoints(api, path))), as });
        walked = true;
        break;
      }
      expect(`${path} walked: ${walked}`).toBe(`${path} walked: true`);
    }
    expect(walks.map((w) => w.path)).toEqual(grids);
  });
});
