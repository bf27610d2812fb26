import { writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { withDirectClient } from '../../src/seed/seed-runner';
import { RESOURCES } from '../../src/modules/resource/resources';
import { ADMIN, DEMO_PASSWORD, seedDemo, sql } from '../support/fixtures';
import type { RowTemplate, World } from '../support/permission-world';
import {
  auditRow,
  batch,
  buildWorld,
  document,
  documentType,
  existingFolder,
  folderRef,
  freshFolder,
  mail,
  member,
  organization,
  role,
} from '../support/permission-world';
import type { Actor, OracleRoute, Outcome, RowFacts } from '../support/policy-oracle';
import { ACTORS, admits, oracleRoute, outcome, visible } from '../support/policy-oracle';
import type { PolicyRoute } from '../support/policy-routes';
import { policyRoutes } from '../support/policy-routes';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

/**
 * The permission matrix: every route of the running app (read from its Nest
 * handlers) × every fixture user × rows in and out of the user's scopes,
 * answered by the app and by the independent oracle (test/support/policy-oracle.ts),
 * compared by class: 2xx, 403, 404. Lists and values also show exactly the
 * visible rows. Write cases each get a row of their own, made before anyone
 * signs in.
 */

const CONCURRENCY = 8;

const acme = (path: string) => folderRef('acme', path);
const globex = (path: string) => folderRef('globex', path);

/** Stands for the caller's own organization in a create target (platform admins: acme). */
const OWN = '(own)';

/** Rows read through lists, values and items, by resource (grid name). */
const READ_ROWS: Record<string, RowTemplate[]> = {
  organizations: [
    organization('acme (own organization)', 'acme'),
    organization('globex', 'globex'),
  ],
  users: [
    member('acme member finance@', 'acme', 'finance@acme.example'),
    member('globex member finance@', 'globex', 'finance@globex.example'),
  ],
  roles: [
    role('acme role Finance readers', 'acme', 'Finance readers'),
    role('globex role Finance readers', 'globex', 'Finance readers'),
  ],
  folders: [
    existingFolder('folder Finance', acme('Finance')),
    existingFolder('folder Finance/Invoices', acme('Finance/Invoices')),
    existingFolder('folder HR', acme('HR')),
    existingFolder('folder Inbox (system)', acme('Inbox')),
    existingFolder('globex folder Finance', globex('Finance')),
  ],
  'document-types': [
    documentType('acme type Invoice', 'acme', 'Invoice'),
    documentType('globex type Invoice', 'globex', 'Invoice'),
  ],
  documents: [
    document('document in Finance', acme('Finance')),
    document('document in Finance/Invoices', acme('Finance/Invoices')),
    document('document in HR', acme('HR')),
    document('document in Inbox (system)', acme('Inbox')),
    document('globex document in Finance', globex('Finance')),
  ],
  mails: [
    mail('unfiled mail', 'acme', null, null),
    mail('mail in Finance', 'acme', acme('Finance'), null),
    mail('mail in HR', 'acme', acme('HR'), null),
    mail('mail in HR assigned to the clerk', 'acme', acme('HR'), 'clerk'),
    mail('mail in Inbox (system)', 'acme', acme('Inbox'), null),
    mail('globex unfiled mail', 'globex', null, null),
  ],
  inbox: [
    mail('mail in HR assigned to the clerk', 'acme', acme('HR'), 'clerk'),
    mail('unfiled mail assigned to the org admin', 'acme', null, 'orgAdmin'),
    mail('globex mail assigned to the globex admin', 'globex', null, 'globexAdmin'),
  ],
  batches: [batch('acme batch', 'acme'), batch('globex batch', 'globex')],
  audit: [
    auditRow('audit of a document in Finance', 'acme', 'document', acme('Finance')),
    auditRow('audit of a document in HR', 'acme', 'document', acme('HR')),
    auditRow('audit of an unfiled mail', 'acme', 'mail', null),
    auditRow('audit of a role', 'acme', 'role', null),
    auditRow('audit of a user', 'acme', 'user', null),
    auditRow('globex audit of a document in Finance', 'globex', 'document', globex('Finance')),
  ],
};

/** Rows the write routes (with an :id) change: a fresh one per case. */
function writeRows(resource: string, op: string): RowTemplate[] | undefined {
  switch (resource) {
    case 'organizations':
      // Only platform admins pass the route; an organization holding anything cannot go.
      return op === 'delete'
        ? [organization('a new empty organization')]
        : [organization('acme (own organization)', 'acme'), organization('globex', 'globex')];
    case 'users':
      return [member('new acme member', 'acme'), member('new globex member', 'globex')];
    case 'roles':
      return [role('new acme role', 'acme'), role('new globex role', 'globex')];
    case 'folders':
      return [
        freshFolder('new folder under Finance', acme('Finance')),
        freshFolder('new folder under HR', acme('HR')),
        freshFolder('new globex folder under Finance', globex('Finance')),
      ];
    case 'document-types':
      return [documentType('new acme type', 'acme'), documentType('new globex type', 'globex')];
    case 'documents':
      return [
        document('document in Finance', acme('Finance')),
        document('document in Finance/Invoices', acme('Finance/Invoices')),
        document('document in HR', acme('HR')),
        document('document in Inbox (system)', acme('Inbox')),
        document('globex document in Finance', globex('Finance')),
      ];
    case 'mails':
      // All assigned, so that every workflow move (status, unassign, reassign) is open.
      return [
        mail('unfiled mail assigned to the org admin', 'acme', null, 'orgAdmin'),
        mail('mail in Finance assigned to the org admin', 'acme', acme('Finance'), 'orgAdmin'),
        mail('mail in HR assigned to the org admin', 'acme', acme('HR'), 'orgAdmin'),
        mail('mail in HR assigned to the clerk', 'acme', acme('HR'), 'clerk'),
        mail('unfiled mail assigned to the auditor', 'acme', null, 'auditor'),
        mail('mail in Inbox assigned to the org admin', 'acme', acme('Inbox'), 'orgAdmin'),
        mail('globex unfiled mail assigned to the globex admin', 'globex', null, 'globexAdmin'),
      ];
    case 'batches': {
      const status = op === 'retry' ? 'failed' : 'pending';
      return [
        batch(`new ${status} acme batch`, 'acme', status),
        batch(`new ${status} globex batch`, 'globex', status),
      ];
    }
    default:
      return undefined;
  }
}

/** Where creates file the new row (resources whose creates name a folder). */
const CREATE_TARGETS: Record<string, RowTemplate[]> = {
  folders: [
    existingFolder('parent Finance', acme('Finance')),
    existingFolder('parent HR', acme('HR')),
    existingFolder('parent globex Finance', globex('Finance')),
  ],
  documents: [
    existingFolder('into Finance', acme('Finance')),
    existingFolder('into HR', acme('HR')),
    existingFolder('into Inbox (system)', acme('Inbox')),
    existingFolder('into globex Finance', globex('Finance')),
  ],
  mails: [
    { label: 'unfiled', facts: { tenant: OWN, folder: null } },
    existingFolder('into Finance', acme('Finance')),
    existingFolder('into HR', acme('HR')),
    existingFolder('into globex Finance', globex('Finance')),
  ],
};

interface BodyContext {
  actor: Actor;
  w: World & { url: string };
  /** The row the URL names, or the folder a create files into. */
  id?: number;
  facts?: RowFacts;
  /** Unique per case: names, slugs and emails. */
  n: number;
}

type BodyRecipe = (c: BodyContext) => unknown;

/** For platform admins, who belong to no organization: name one. */
const orgOf = (c: BodyContext) => (c.actor.platformAdmin ? { organizationId: c.w.org.acme } : {});
const folderOf = (c: BodyContext) => c.w.folderId(c.facts?.folder ?? acme('Inbox'));
const NO_BODY: BodyRecipe = () => undefined;

/** A valid body per write route (METHOD path without /api); absent: the suite fails. */
const BODIES: Record<string, BodyRecipe> = {
  'POST /organizations': (c) => ({ name: `Matrix org ${c.n}`, slug: `matrix-new-${c.n}` }),
  'PATCH /organizations/:id': async (c) => ({
    version: Number(
      (
        await sql<{ v: number }>(c.w.url, 'SELECT version AS v FROM organizations WHERE id = $1', [
          c.id,
        ])
      )[0].v,
    ),
  }),
  'DELETE /organizations/:id': NO_BODY,
  'POST /users': (c) => ({
    email: `matrix-new-${c.n}@acme.example`,
    displayName: `Matrix new ${c.n}`,
    password: 'a-long-password',
    ...orgOf(c),
  }),
  'PATCH /users/:id': (c) => ({ version: 1, displayName: `Renamed ${c.n}` }),
  'PUT /users/:id/roles': () => ({ roleIds: [] }),
  'DELETE /users/:id': NO_BODY,
  'POST /roles': (c) => ({ name: `Matrix new role ${c.n}`, ...orgOf(c) }),
  'PATCH /roles/:id': (c) => ({ version: 1, name: `Renamed role ${c.n}` }),
  'PUT /roles/:id/grants': () => ({ version: 1, tabs: [] }),
  'DELETE /roles/:id': NO_BODY,
  'POST /folders': (c) => ({ name: `Matrix new ${c.n}`, parentId: folderOf(c) }),
  'PATCH /folders/:id': (c) => ({ version: 1, name: `Renamed ${c.n}` }),
  'DELETE /folders/:id': NO_BODY,
  'POST /document-types': (c) => ({ name: `Matrix new type ${c.n}`, ...orgOf(c) }),
  'PATCH /document-types/:id': (c) => ({ version: 1, name: `Renamed type ${c.n}` }),
  'DELETE /document-types/:id': NO_BODY,
  'POST /documents': (c) => ({ title: `Matrix new ${c.n}`, folderId: folderOf(c) }),
  'PATCH /documents/:id': (c) => ({ version: 1, title: `Renamed ${c.n}` }),
  'DELETE /documents/:id': NO_BODY,
  'POST /mails': (c) => ({
    subject: `Matrix new ${c.n}`,
    sender: 'matrix@sender.example',
    ...(c.facts?.folder ? { folderId: folderOf(c) } : orgOf(c)),
  }),
  'PATCH /mails/:id': (c) => ({ version: 1, subject: `Renamed ${c.n}` }),
  'DELETE /mails/:id': NO_BODY,
  // The organization's admin reads every mail of it (the assignee must, by his own rights).
  'POST /mails/:id/assign': (c) => ({ userId: c.w.adminOf[c.facts?.tenant ?? 'acme'] }),
  'POST /mails/:id/unassign': () => ({}),
  'POST /mails/:id/status': () => ({ status: 'in_progress' }),
  'POST /batches': (c) => ({
    name: `Matrix new batch ${c.n}`,
    source: 'api',
    items: [{ subject: 'One item', sender: 'matrix@sender.example' }],
    ...orgOf(c),
  }),
  'POST /batches/:id/cancel': () => ({}),
  'POST /batches/:id/retry': NO_BODY,
};

/**
 * Refusals the product documents beside the policy (not the policy's own): the
 * answer must be exactly this, and is listed, not counted as a disagreement.
 */
const DOCUMENTED_REFUSALS: { route: string; actor: string; status: number; code: string }[] = [
  // "Platform administrators cannot assign (403 MAIL_ASSIGNER_NOT_MEMBER): they belong to no organization"
  {
    route: 'POST /mails/:id/assign',
    actor: 'platform',
    status: 403,
    code: 'MAIL_ASSIGNER_NOT_MEMBER',
  },
];

type RowRole = 'none' | 'listed' | 'path' | 'target';

interface Case {
  route: PolicyRoute;
  rule: OracleRoute;
  actor: Actor;
  template?: RowTemplate;
  facts?: RowFacts;
  rowRole: RowRole;
  expected: Outcome;
  /** Lists and values admitted: whether the row must show. */
  listed?: boolean;
  id?: number;
  n: number;
}

interface Answer {
  status: number;
  code?: string;
  message?: string;
  shown?: boolean;
}

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

function want(c: Case): string {
  if (c.expected === 'ok') return '2xx';
  if (c.expected === 'forbidden') return '403';
  // A folder named in the body is not a URL: "not found" is a 400 naming the field.
  return c.rowRole === 'target' ? '400 FOLDER_NOT_FOUND' : '404';
}

function got(a: Answer): string {
  if (a.status >= 200 && a.status < 300) return '2xx';
  if (a.status === 403 || a.status === 404) return String(a.status);
  if (a.status === 400 && a.code === 'FOLDER_NOT_FOUND') return '400 FOLDER_NOT_FOUND';
  return `${a.status} ${a.code ?? ''}`.trim();
}

async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

describe('permission matrix', () => {
  let t: TestApp;
  let fastify: FastifyInstance;
  let w: World & { url: string };
  let routes: PolicyRoute[];
  const cases: Case[] = [];
  const setupProblems: string[] = [];
  const disagreements: string[] = [];
  const businessRefusals: string[] = [];
  const documented: string[] = [];
  const tokens = {} as Record<string, string>;
  const table: string[] = [];

  const inject = (method: string, url: string, token?: string, payload?: unknown) =>
    fastify.inject({
      method: method as 'GET',
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  beforeAll(async () => {
    t = await startTestApp();
    fastify = t.app.getHttpAdapter().getInstance();
    await seedDemo(t.db.url);
    routes = policyRoutes(t.app);

    // The cases, from the routes and the oracle.
    let n = 0;
    for (const route of routes.filter((r) => !r.isPublic)) {
      const rule = oracleRoute(route.method, route.path);
      if (!rule) {
        setupProblems.push(`${key(route)}: the policy table (oracle) has no rule for it`);
        continue;
      }
      const name = rule.resource?.name;
      const isWrite = rule.kind === 'write' || rule.kind === 'create';
      if (isWrite && !BODIES[key(route)]) {
        setupProblems.push(`${key(route)}: no body recipe`);
        continue;
      }
      let templates: (RowTemplate | undefined)[] = [undefined];
      let rowRole: RowRole = 'none';
      if (
        rule.kind === 'list' ||
        rule.kind === 'values' ||
        rule.kind === 'item' ||
        rule.kind === 'itemRead'
      ) {
        const rows = name ? READ_ROWS[name] : undefined;
        if (!rows) {
          setupProblems.push(`${key(route)}: no read rows for ${String(name)}`);
          continue;
        }
        templates = rows;
        rowRole = rule.kind === 'item' || rule.kind === 'itemRead' ? 'path' : 'listed';
      } else if (rule.kind === 'write') {
        const rows = name ? writeRows(name, rule.op as string) : undefined;
        if (!rows) {
          setupProblems.push(`${key(route)}: no write rows for ${String(name)}`);
          continue;
        }
        templates = rows;
        rowRole = 'path';
      } else if (rule.kind === 'create' && rule.resource?.createsInFolder) {
        const rows = name ? CREATE_TARGETS[name] : undefined;
        if (!rows) {
          setupProblems.push(`${key(route)}: no create targets for ${String(name)}`);
          continue;
        }
        templates = rows;
        rowRole = 'target';
      }
      for (const actor of ACTORS) {
        for (const template of templates) {
          let facts = template?.facts;
          if (facts?.tenant === OWN) facts = { ...facts, tenant: actor.tenant ?? 'acme' };
          const expected =
            rowRole === 'listed' ? outcome(actor, rule) : outcome(actor, rule, facts);
          const listed =
            rowRole === 'listed' && admits(actor, rule) && rule.resource && facts
              ? visible(actor, rule.resource, facts)
              : undefined;
          cases.push({ route, rule, actor, template, facts, rowRole, expected, listed, n: ++n });
        }
      }
    }

    // The data: fixture users, then every case's row, before anyone signs in.
    w = await withDirectClient(t.db.url, async (q) => {
      const world = await buildWorld(q);
      const shared = new Map<RowTemplate, number>();
      for (const c of cases) {
        const tpl = c.template;
        if (!tpl?.make) continue;
        if (c.rule.kind === 'write') {
          c.id = await tpl.make(q, world, c.n);
        } else {
          if (!shared.has(tpl)) shared.set(tpl, await tpl.make(q, world, c.n));
          c.id = shared.get(tpl);
        }
      }
      return { ...world, url: t.db.url };
    });

    for (const a of ACTORS) {
      const password = a.platformAdmin ? ADMIN.password : DEMO_PASSWORD;
      const res = await inject('POST', '/api/auth/login', undefined, { email: a.email, password });
      if (res.statusCode !== 200)
        throw new Error(`login ${a.email}: ${res.statusCode} ${res.body}`);
      tokens[a.key] = res.json<{ token: string }>().token;
    }

    // The matrix.
    const started = Date.now();
    await pool(cases, CONCURRENCY, async (c) => {
      const answer = await run(c);
      judge(c, answer);
      table.push(
        `${key(c.route)}\t${c.actor.key}\t${c.template?.label ?? '-'}\t${want(c)}${c.listed === undefined ? '' : c.listed ? ' listed' : ' unlisted'}\t${got(answer)}${answer.shown === undefined ? '' : answer.shown ? ' listed' : ' unlisted'}`,
      );
    });
    // The whole table, for a reader who wants it: MATRIX_DUMP=/tmp/matrix.tsv.
    if (process.env.MATRIX_DUMP)
      writeFileSync(process.env.MATRIX_DUMP, `${table.sort().join('\n')}\n`);
    summarize(Date.now() - started);
  }, 180_000);

  afterAll(async () => t?.close());

  /** The discoverable column the values route is asked for (from the resource's grid). */
  function valuesColumn(name: string): string {
    const grid = RESOURCES.find((r) => r.grid.name === name)?.grid;
    const column = grid?.columns.find((c) => c.discoverable);
    if (!column) throw new Error(`${name}: no discoverable column`);
    return column.key;
  }

  async function run(c: Case): Promise<Answer> {
    const name = c.rule.resource?.name ?? '';
    let url = c.route.url.replace(':id', String(c.id ?? 1));
    if (url.includes(':column')) url = url.replace(':column', valuesColumn(name));
    if (c.rowRole === 'listed') url += `?filter%5Bid%5D=${c.id}&limit=10`;
    const recipe = BODIES[key(c.route)];
    const body = recipe
      ? await recipe({ actor: c.actor, w, id: c.id, facts: c.facts, n: c.n })
      : undefined;
    const res = await inject(c.route.method, url, tokens[c.actor.key], body);
    let json: Record<string, unknown> = {};
    try {
      json = res.json();
    } catch {
      /* no body (204) */
    }
    const answer: Answer = {
      status: res.statusCode,
      code: typeof json.code === 'string' ? json.code : undefined,
      message: typeof json.message === 'string' ? json.message : undefined,
    };
    if (c.rowRole === 'listed' && res.statusCode === 200) {
      const data = (json.data ?? []) as Record<string, unknown>[];
      answer.shown =
        c.rule.kind === 'values'
          ? data.reduce((sum, v) => sum + Number(v.count), 0) > 0
          : data.some((r) => Number(r.id) === c.id);
    }
    return answer;
  }

  const counts = { expected: {} as Record<string, number>, got: {} as Record<string, number> };

  function judge(c: Case, a: Answer): void {
    const expected = want(c);
    const actual = got(a);
    counts.expected[expected] = (counts.expected[expected] ?? 0) + 1;
    counts.got[String(a.status)] = (counts.got[String(a.status)] ?? 0) + 1;
    const where = `${key(c.route)} | ${c.actor.key} | ${c.template?.label ?? '-'}`;
    if (expected !== actual) {
      const doc = DOCUMENTED_REFUSALS.find(
        (d) => d.route === key(c.route) && d.actor === c.actor.key,
      );
      const line =
        `${where} | expected ${expected} | got ${a.status} ${a.code ?? ''} ${a.message ?? ''}`.trim();
      if (doc && doc.status === a.status && doc.code === a.code) documented.push(line);
      else if (expected === '2xx' && [400, 409, 422].includes(a.status))
        businessRefusals.push(line);
      else disagreements.push(line);
      return;
    }
    if (c.listed !== undefined && a.shown !== undefined && c.listed !== a.shown) {
      disagreements.push(
        `${where} | expected ${c.listed ? 'listed' : 'not listed'} | got ${a.shown ? 'listed' : 'not listed'}`,
      );
    }
  }

  function summarize(ms: number): void {
    const routeCount = new Set(cases.map((c) => key(c.route))).size;
    const perRoute = new Map<string, number>();
    for (const c of cases) perRoute.set(key(c.route), (perRoute.get(key(c.route)) ?? 0) + 1);
    const rows = [...perRoute.values()].map((v) => v / ACTORS.length);
    const lines = [
      `permission matrix: ${routeCount} routes × ${ACTORS.length} users × ${Math.min(...rows)}–${Math.max(...rows)} rows = ${cases.length} cases (${ms} ms, ${CONCURRENCY} at a time)`,
      `expected: ${JSON.stringify(counts.expected)}`,
      `got:      ${JSON.stringify(counts.got)}`,
      `disagreements: ${disagreements.length}, business refusals of expected 2xx: ${businessRefusals.length}, documented refusals: ${documented.length}`,
      ...[...disagreements].sort().map((l) => `  DISAGREE ${l}`),
      ...[...businessRefusals].sort().map((l) => `  BUSINESS ${l}`),
      ...[...documented].sort().map((l) => `  DOCUMENTED ${l}`),
    ];
    console.log(lines.join('\n'));
  }

  it('reads the routes of the running app from its Nest handlers', () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.map(key)).toEqual(
      expect.arrayContaining([
        'GET /documents',
        'GET /documents/:id',
        'POST /mails/:id/status',
        'PUT /roles/:id/grants',
        'GET /me',
        'POST /auth/login',
      ]),
    );
    // Public: sign-in, health, metrics, and nothing else.
    expect(
      routes
        .filter((r) => r.isPublic)
        .every((r) => /^(\/auth\/login|\/health|\/metrics)/.test(r.path)),
    ).toBe(true);
  });

  it('finds a policy on every route that is not public', () => {
    const missing = routes
      .filter((r) => !r.isPublic && !r.policy)
      .map((r) => `${key(r)} (${r.controller}.${r.handler})`);
    expect(missing).toEqual([]);
  });

  it('finds declarations that say what the policy table says', () => {
    const wrong: string[] = [];
    for (const r of routes.filter((x) => !x.isPublic && x.policy)) {
      const rule = oracleRoute(r.method, r.path);
      const p = r.policy;
      if (!rule || !p) continue;
      const declared = {
        requirement: p.requirement,
        tab: p.tab,
        resource: p.resource?.grid.name,
        op: p.op,
      };
      const table = {
        requirement: rule.requirement,
        tab: rule.tab,
        resource: rule.resource?.name,
        op: rule.op,
      };
      if (!isDeepStrictEqual(declared, table)) {
        wrong.push(
          `${key(r)}: declares ${JSON.stringify(declared)}, the table says ${JSON.stringify(table)}`,
        );
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has an oracle rule, rows and a body recipe for every route', () => {
    expect(setupProblems).toEqual([]);
    expect(cases.length).toBeGreaterThan(500);
    // Every resource of the declarations is in the matrix.
    const covered = new Set(cases.map((c) => c.rule.resource?.name));
    expect(RESOURCES.map((r) => r.grid.name).filter((n) => !covered.has(n))).toEqual([]);
  });

  it('answers every route × user × row with the status the oracle expects', () => {
    expect(disagreements.filter((d) => !/ expected (not )?listed /.test(d))).toEqual([]);
  });

  it('lists (and counts in values) exactly the rows the oracle says are visible', () => {
    expect(disagreements.filter((d) => / expected (not )?listed /.test(d))).toEqual([]);
  });

  it('has no business-rule refusal where the oracle expects success', () => {
    expect(businessRefusals).toEqual([]);
  });
});
