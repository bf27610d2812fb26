import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { readEnvironment } from '../core/config/config.module';
import type { AppConfig } from '../core/config/config.schema';
import { ConfigError, loadConfig, redact } from '../core/config/config.schema';
import type { Principal } from '../core/context/request-context.service';
import { RequestContext } from '../core/context/request-context.service';
import { MIGRATIONS_GLOB } from '../core/database/data-source.options';
import type { Queryable } from '../core/database/db.service';
import { Db } from '../core/database/db.service';
import type { SqlStatement } from '../core/grid/grid-query.builder';
import { buildRowsQuery, buildValuesQuery } from '../core/grid/grid-query.builder';
import { parseValuesQuery } from '../core/grid/grid-query.parser';
import { GridService } from '../core/grid/grid.service';
import { PolicyEvaluator } from '../modules/permission/policy-evaluator.service';
import type { Resource } from '../modules/permission/resource';
import { RESOURCES } from '../modules/resource/resources';
import { ExplainModule } from './explain.module';
import type { PlanNode } from './explain-plan';
import {
  SMALL_SORT_ROWS,
  baseTable,
  executionMs,
  fullSortsOf,
  keyLines,
  rowsSorted,
} from './explain-plan';

const say = (line = '') => process.stdout.write(`${line}\n`);
/** Plans print bound arrays (a user's hundreds of folder ids) in full: keep lines readable. */
const clip = (line: string, max = 240) =>
  line.length > max ? `${line.slice(0, max)}… (${line.length} characters)` : line;

/** --strict: any Sort over a grid's table fails, however few rows it sorts. */
const strict = process.argv.includes('--strict');

interface Caller {
  label: string;
  principal: Principal;
}

interface Outcome {
  grid: string;
  caller: string;
  statement: string;
  ms: number | undefined;
  verdict: string;
}

/**
 * `npm run explain`: the plan of every module's default grid page (50 rows) and
 * of its value discovery per column, built by the same code as the API, for a
 * platform admin, the admin of the largest organization and a folder-scoped user
 * there. Read-only. Exits 1 when a default page sorts more than SMALL_SORT_ROWS
 * rows of its table instead of reading them in index order (--strict: any sort).
 */
async function main(): Promise<void> {
  const env = readEnvironment();
  const base = loadConfig(env);
  if (base.db.url === undefined)
    throw new ConfigError(['DATABASE_URL: got nothing, accepts a postgres:// URL']);
  const dbName = new URL(base.db.url).pathname.slice(1);
  // Cached permissions of this database's users under a prefix of their own: another
  // database's app must never read them.
  const cfg: AppConfig = loadConfig({
    ...env,
    REDIS_KEY_PREFIX: `${base.redis.keyPrefix}:explain:${dbName}`,
  });
  say(`database ${redact(base.db.url)}`);
  const app = await NestFactory.createApplicationContext(
    ExplainModule.forRoot(cfg, { url: base.db.url, poolMax: 2 }),
    { logger: ['error'] },
  );
  const outcomes: Outcome[] = [];
  try {
    const db = app.get(Db);
    const grid = app.get(GridService);
    const policy = app.get(PolicyEvaluator);
    const ctx = app.get(RequestContext);
    const pending = await pendingMigrations(db);
    if (pending.length > 0)
      say(
        `note: migrations not applied to this database (plans may differ): ${pending.join(', ')}`,
      );
    const callers = await findCallers(db);
    for (const c of callers) say(`caller ${c.label}: user ${c.principal.userId}`);
    for (const resource of RESOURCES) {
      for (const caller of callers) {
        await ctx.run(async () => {
          ctx.principal = caller.principal;
          outcomes.push(...(await explainGrid(db, grid, policy, resource, caller)));
        });
      }
    }
    const scoped = callers.find((c) => c.label.startsWith('folder-scoped'));
    if (scoped) {
      await ctx.run(async () => {
        ctx.principal = scoped.principal;
        outcomes.push(...(await explainFolderKinds(db, grid, policy, scoped)));
      });
    }
  } finally {
    await app.close();
  }
  printSummary(outcomes);
  const failed = outcomes.filter((o) => o.verdict.startsWith('SORTS'));
  if (failed.length > 0) {
    say(
      `\n${failed.length} default grid plan(s) sort more than ${SMALL_SORT_ROWS} rows of their table instead of reading an index in order`,
    );
    process.exitCode = 1;
  }
}

/** Migration files whose timestamp the database has not recorded (an index they add is missing). */
async function pendingMigrations(db: Db): Promise<string[]> {
  const dir = dirname(MIGRATIONS_GLOB);
  const files = readdirSync(dir).filter((f) => /^\d+-.*\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'));
  const applied = new Set(
    (await db.query<{ timestamp: string }>('SELECT timestamp::text FROM typeorm_migrations')).map(
      (r) => r.timestamp,
    ),
  );
  return files.filter((f) => !applied.has(f.split('-')[0])).map((f) => f.replace(/\.(js|ts)$/, ''));
}

async function findCallers(db: Db): Promise<Caller[]> {
  const callers: Caller[] = [];
  const principal = (r: {
    id: number;
    organization_id: number | null;
    is_platform_admin: boolean;
    is_org_admin: boolean;
  }): Principal => ({
    userId: r.id,
    organizationId: r.organization_id,
    isPlatformAdmin: r.is_platform_admin,
    isOrgAdmin: r.is_org_admin,
    credentialVersion: null,
  });
  type UserRow = Parameters<typeof principal>[0] & { email: string };
  const [admin] = await db.query<UserRow>(
    `SELECT id, email, organization_id, is_platform_admin, is_org_admin FROM users
     WHERE is_platform_admin AND is_active ORDER BY id LIMIT 1`,
  );
  if (admin) callers.push({ label: `platform admin ${admin.email}`, principal: principal(admin) });
  // The largest organization by documents, the biggest table.
  const [largest] = await db.query<{ id: number; name: string; n: number }>(
    `SELECT o.id, o.name, d.n FROM organizations o
     JOIN (SELECT organization_id, count(*)::int AS n FROM documents GROUP BY 1) d ON d.organization_id = o.id
     ORDER BY d.n DESC, o.id LIMIT 1`,
  );
  if (!largest) return callers;
  const [orgAdmin] = await db.query<UserRow>(
    `SELECT id, email, organization_id, is_platform_admin, is_org_admin FROM users
     WHERE organization_id = $1 AND is_org_admin AND is_active ORDER BY id LIMIT 1`,
    [largest.id],
  );
  if (orgAdmin) {
    callers.push({
      label: `organization admin ${orgAdmin.email} (${largest.name}, ${largest.n} documents)`,
      principal: principal(orgAdmin),
    });
  }
  // The narrowest folder scope there: the page must still come in index order when most
  // of the organization's rows are filtered out.
  const [scoped] = await db.query<UserRow & { folders: number; total: number }>(
    `WITH candidate AS (
       SELECT u.id, u.email, u.organization_id, u.is_platform_admin, u.is_org_admin,
              array_agg(DISTINCT f.folder_id) AS roots
       FROM users u
       JOIN user_roles ur ON ur.user_id = u.id
       JOIN role_folder_permissions f ON f.role_id = ur.role_id AND f.action = 'view'
       WHERE u.organization_id = $1 AND u.is_active AND NOT u.is_org_admin AND NOT u.is_platform_admin
         AND EXISTS (SELECT 1 FROM role_entity_permissions e JOIN user_roles r2 ON r2.role_id = e.role_id
                     WHERE r2.user_id = u.id AND e.entity_type = 'document' AND e.action = 'view')
       GROUP BY u.id)
     SELECT c.id, c.email, c.organization_id, c.is_platform_admin, c.is_org_admin,
            (SELECT count(*)::int FROM folders f WHERE f.organization_id = $1
               AND (f.system_key IS NOT NULL OR f.path && c.roots)) AS folders,
            (SELECT count(*)::int FROM folders f WHERE f.organization_id = $1) AS total
     FROM candidate c ORDER BY folders, c.id LIMIT 1`,
    [largest.id],
  );
  if (scoped) {
    callers.push({
      label: `folder-scoped user ${scoped.email} (sees ${scoped.folders} of ${scoped.total} folders)`,
      principal: principal(scoped),
    });
  }
  return callers;
}

async function explainGrid(
  db: Db,
  grid: GridService,
  policy: PolicyEvaluator,
  resource: Resource,
  caller: Caller,
): Promise<Outcome[]> {
  const def = resource.grid;
  const out: Outcome[] = [];
  const who = caller.label.split(' (')[0];
  say(`\n=== ${def.name} — ${caller.label}`);
  let scope: SqlStatement;
  try {
    await policy.authorize(resource.policy.read, resource.tab);
    scope = await policy.scope(resource);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    say(`skipped: ${reason}`);
    return [{ grid: def.name, caller: who, statement: '-', ms: undefined, verdict: `skipped` }];
  }
  const ctx = { scope };
  const rows = buildRowsQuery(def, grid.parse(def, {}), ctx);
  const rowsPlan = await explain(db, rows);
  const sorts = fullSortsOf(rowsPlan.json, baseTable(def));
  const sorted = sorts.map(rowsSorted);
  const large = strict ? sorted.length : sorted.filter((n) => n > SMALL_SORT_ROWS).length;
  say(
    `\n-- default page (${def.defaultSort.map((s) => `${s.column} ${s.direction}`).join(', ')}, 50 rows)`,
  );
  say(rows.text);
  say(clip(`-- values: ${JSON.stringify(rows.values)}`));
  for (const l of rowsPlan.text) say(`   ${clip(l)}`);
  out.push({
    grid: def.name,
    caller: who,
    statement: 'default page',
    ms: executionMs(rowsPlan.text),
    verdict:
      large > 0
        ? `SORTS ${Math.max(...sorted)} rows of the table (${sorts.map((n) => (n['Sort Key'] ?? []).join(', ')).join('; ')})`
        : sorts.length > 0
          ? `small sort: ${Math.max(...sorted)} rows (≤ ${SMALL_SORT_ROWS})`
          : 'index order',
  });
  // A click on a reference column's header: the label walk (ref.walk), not a sort of the scope.
  for (const column of def.columns.filter((c) => c.ref?.walk)) {
    const sorted = buildRowsQuery(def, grid.parse(def, { sort: column.key }), ctx);
    const plan = await explain(db, sorted);
    const big = fullSortsOf(plan.json, baseTable(def)).map(rowsSorted);
    say(`\n-- sort=${column.key} (by ${column.ref?.labelKey}, 50 rows)`);
    for (const l of keyLines(plan.text)) say(`   ${clip(l)}`);
    out.push({
      grid: def.name,
      caller: who,
      statement: `sort=${column.key}`,
      ms: executionMs(plan.text),
      verdict: big.some((n) => n > SMALL_SORT_ROWS)
        ? `SORTS ${Math.max(...big)} rows of the table`
        : 'walks references in label order',
    });
  }
  for (const column of def.columns.filter((c) => c.discoverable)) {
    const values = buildValuesQuery(def, column, parseValuesQuery(def, {}), ctx);
    const plan = await explain(db, values);
    say(`\n-- values of ${column.key}`);
    for (const l of keyLines(plan.text)) say(`   ${clip(l)}`);
    out.push({
      grid: def.name,
      caller: who,
      statement: `values ${column.key}`,
      ms: executionMs(plan.text),
      verdict: '',
    });
  }
  return out;
}

/**
 * The documents page of folder-scoped users of every kind: the scoped caller's
 * access with the folders it sees replaced by few or many, small or big
 * folders of its organization. First page and page 100 (offset 4,950): a few
 * folders are merged (UNION ALL of one index range each), more are walked.
 */
async function explainFolderKinds(
  db: Db,
  grid: GridService,
  policy: PolicyEvaluator,
  caller: Caller,
): Promise<Outcome[]> {
  const resource = RESOURCES.find((r) => r.grid.name === 'documents');
  if (!resource) return [];
  const def = resource.grid;
  const access = await policy.access();
  const sizes = await db.query<{ id: number; n: number }>(
    `SELECT folder_id AS id, count(*)::int AS n FROM documents WHERE organization_id = $1
     GROUP BY 1 ORDER BY 2, 1`,
    [access.organizationId],
  );
  const total = sizes.reduce((a, f) => a + f.n, 0);
  const mid = Math.floor(sizes.length / 2);
  const kinds: [string, { id: number; n: number }[]][] = [
    ['3 small folders', sizes.slice(0, 3)],
    ['3 big folders', sizes.slice(-3)],
    ['8 middle folders', sizes.slice(mid - 4, mid + 4)],
    ['40 small folders', sizes.slice(0, 40)],
    ['40 big folders', sizes.slice(-40)],
  ];
  const out: Outcome[] = [];
  for (const [kind, folders] of kinds) {
    const seen = folders.reduce((a, f) => a + f.n, 0);
    const label = `${kind} (${seen} of ${total} documents)`;
    say(`\n=== documents — folder-scoped user, ${label}`);
    const scope = await policy.scope(resource, 'read', {
      ...access,
      viewFolderIds: folders.map((f) => f.id),
    });
    for (const [statement, raw] of [
      ['first page', {}],
      ['page 100 (offset 4950)', { offset: '4950' }],
    ] as const) {
      const rows = buildRowsQuery(def, grid.parse(def, raw), { scope });
      const plan = await explain(db, rows);
      say(`\n-- ${statement}`);
      const shown =
        /(Scan|Merge Append|Limit|Sort|Rows Removed|Heap Fetches|Planning Time|Execution Time)/;
      for (const l of plan.text.filter((x) => shown.test(x))) say(`   ${clip(l)}`);
      say(`   buffers: ${plan.text.find((x) => x.includes('Buffers:'))?.trim() ?? '-'}`);
      out.push({
        grid: def.name,
        caller: `${caller.label.split(' (')[0]}, ${kind}`,
        statement,
        ms: executionMs(plan.text),
        verdict: rows.text.includes(' UNION ALL ') ? 'merged by folder' : 'index walk',
      });
    }
  }
  return out;
}

/**
 * EXPLAIN ANALYZE runs the statement: inside a read-only transaction that is
 * rolled back, with room for a slow aggregate. The plan checked for sorts is
 * a second run of the same statement in JSON, which says how many rows each
 * node produced.
 */
async function explain(db: Db, s: SqlStatement): Promise<{ text: string[]; json: PlanNode }> {
  return db.withClient(async (q: Queryable) => {
    await q.query('BEGIN READ ONLY');
    try {
      await q.query("SET LOCAL statement_timeout = '300s'");
      const text = await q.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${s.text}`,
        s.values,
      );
      const [json] = await q.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${s.text}`,
        s.values,
      );
      return { text: text.map((r) => r['QUERY PLAN']), json: json['QUERY PLAN'][0].Plan };
    } finally {
      await q.query('ROLLBACK');
    }
  });
}

function printSummary(outcomes: Outcome[]): void {
  say('\n=== summary (execution time of EXPLAIN ANALYZE)');
  const width = (f: (o: Outcome) => string) => Math.max(...outcomes.map((o) => f(o).length));
  const wg = width((o) => o.grid);
  const wc = width((o) => o.caller);
  const ws = width((o) => o.statement);
  for (const o of outcomes) {
    const ms = o.ms === undefined ? '-' : `${o.ms.toFixed(1)} ms`;
    say(
      `${o.grid.padEnd(wg)}  ${o.caller.padEnd(wc)}  ${o.statement.padEnd(ws)}  ${ms.padStart(11)}  ${o.verdict}`,
    );
  }
}

main().catch((e: unknown) => {
  process.stderr.write(
    `explain failed: ${e instanceof Error ? (e instanceof ConfigError ? e.message : (e.stack ?? e.message)) : String(e)}\n`,
  );
  process.exit(1);
});
