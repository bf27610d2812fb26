import { loadConfig } from '../src/core/config/config.schema';
import { specialUsers } from '../src/seed/large-seed-plan';
import type { ScenarioName } from './bench-args';

export type Caller = 'admin' | 'user' | 'inbox';

/** A Postroom configured one way, measured beside the others of its scenario. */
export interface Variant {
  label: string;
  /** Variables on top of the production defaults; none: the main Postroom itself. */
  env?: Record<string, string>;
}

/**
 * How a scenario is measured: `floors` against the runtime and SQL floors;
 * `burst` on Postrooms of their own with the small pool (one per variant), beside grid-user;
 * `variants` as the same request on Postrooms configured differently;
 * `login-flood` on the main Postroom, alone and during a storm of sign-ins.
 */
export type ScenarioKind = 'floors' | 'burst' | 'variants' | 'login-flood' | 'bulk-upload';

export interface PreparedScenario {
  name: ScenarioName;
  caller: Caller;
  /** API path with its query string. */
  path: string;
  kind: ScenarioKind;
  /** floors only: a request measured alongside on the API, the one this scenario is held against. */
  referencePath?: string;
  /** variants and burst: the first is the baseline the others are compared with. */
  variants?: Variant[];
  /** variants only: the pool of each variant's Postroom, when not the main one's. */
  variantPool?: number;
  note?: string;
  skipped?: string;
}

/**
 * The grid request with rows and an exact count (two independent loaders):
 * parallel on two connections (the default DB_CONCURRENCY_PER_REQUEST=3)
 * against one after another on one connection (DB_CONCURRENCY_PER_REQUEST=1).
 */
export const PARALLEL_LOADER_VARIANTS: Variant[] = [
  { label: 'parallel loaders' },
  { label: 'serial, one connection', env: { DB_CONCURRENCY_PER_REQUEST: '1' } },
];

const REQUEST_METRICS_SAMPLE = {
  REQUEST_METRICS_MODE: 'sample',
  REQUEST_METRICS_SAMPLE_RATE: '0.01',
};
const REQUEST_METRICS_SLOW = { REQUEST_METRICS_MODE: 'slow' };

/**
 * Each observability switch on a hot grid route. "off" twice, in two processes
 * alike: the difference between them is the noise of this run, against which
 * the cost of a switch is read. Off registers no hook at all, so "off" is the
 * build without them. Request metrics run with their production defaults (a
 * token bucket of 20 rows a second, slow judged on the handled time). The traced
 * variants send their spans to a sink in the bench process (OTLP/HTTP JSON).
 */
export const OBSERVABILITY_VARIANTS: Variant[] = [
  { label: 'off', env: {} },
  { label: 'off (second process)', env: {} },
  { label: 'request logging', env: { REQUEST_LOGGING: 'true' } },
  { label: 'performance monitoring', env: { PERFORMANCE_MONITORING: 'true' } },
  { label: 'request metrics sample 1%', env: REQUEST_METRICS_SAMPLE },
  { label: 'request metrics slow', env: REQUEST_METRICS_SLOW },
  { label: 'tracing, ratio 1.0', env: { TRACING: 'true', OTEL_TRACES_SAMPLER_ARG: '1' } },
  { label: 'tracing, ratio 0.01', env: { TRACING: 'true', OTEL_TRACES_SAMPLER_ARG: '0.01' } },
  {
    label: 'all on (+ file logging)',
    env: {
      REQUEST_LOGGING: 'true',
      FILE_LOGGING: 'true',
      PERFORMANCE_MONITORING: 'true',
      ...REQUEST_METRICS_SAMPLE,
    },
  },
];

/**
 * The burst on a Postroom with the admission gate (the default) and on one
 * without; and with request metrics on, where saturation used to make every
 * request "slow" and persisted.
 */
export const BURST_VARIANTS: Variant[] = [
  { label: 'admission gate (4 × pool)', env: {} },
  { label: 'no gate', env: { HTTP_MAX_IN_FLIGHT: '0' } },
  { label: 'gate, request metrics sample 1%', env: REQUEST_METRICS_SAMPLE },
  { label: 'gate, request metrics slow', env: REQUEST_METRICS_SLOW },
];

/** Nine Postrooms at once (and the main one) stay inside a server of 100 connections. */
export const OBSERVABILITY_POOL = 6;

interface GridPageBody {
  data: Record<string, unknown>[];
  page: { nextCursor: string | null; hasMore: boolean };
}

/** The large seed's special users, with the passwords the seed gives them by default. */
export function benchLogins(): Record<Caller, { email: string; password: string }> {
  const seed = loadConfig({}).seed;
  const u = specialUsers(seed.adminEmail);
  return {
    admin: { email: u.platformAdmin, password: seed.adminPassword },
    user: { email: u.folderScopedUser, password: seed.demoPassword },
    inbox: { email: u.inboxUser, password: seed.demoPassword },
  };
}

export async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) {
    throw new Error(`login of ${email} answered ${res.status}: ${await res.text()}`);
  }
  return ((await res.json()) as { token: string }).token;
}

/** The offset of page 100 of 50 rows. */
export const OFFSET_PAGE_100 = 99 * 50;

export function documentsPath(query: Record<string, string> = {}): string {
  const q = new URLSearchParams(query).toString();
  return `/api/documents${q ? `?${q}` : ''}`;
}

async function getJson<T>(baseUrl: string, path: string, token: string): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200)
    throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * The cursor `targetRows` rows deep in the caller's default grid, walked with
 * the largest pages. When the caller sees fewer rows, the deepest cursor that
 * still has a full page of `pageSize` rows after it.
 */
export async function deepCursor(
  baseUrl: string,
  token: string,
  targetRows: number,
  pageSize: number,
  step = 500,
): Promise<{ cursor: string | null; depthRows: number }> {
  let cursor: string | null = null;
  let depth = 0;
  const page = (limit: number) => {
    const q: Record<string, string> = { limit: String(limit) };
    if (cursor) q.cursor = cursor;
    return getJson<GridPageBody>(baseUrl, documentsPath(q), token);
  };
  while (depth < targetRows) {
    const p = await page(Math.min(step, targetRows - depth));
    if (!p.page.hasMore || !p.page.nextCursor) {
      // p.data holds every row left after the cursor: stop a full page before the end.
      const skip = p.data.length - pageSize;
      if (skip > 0) {
        const last = await page(skip);
        cursor = last.page.nextCursor;
        depth += skip;
      }
      break;
    }
    cursor = p.page.nextCursor;
    depth += p.data.length;
  }
  return { cursor, depthRows: depth };
}

/** PostgreSQL's text form (2026-12-01 04:40:07.07+00) as a Date. */
export function parseTimestamp(v: string): Date {
  const d = new Date(v.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'));
  if (Number.isNaN(d.getTime())) throw new Error(`not a timestamp: ${v}`);
  return d;
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * Requests of every scenario, made from what the callers actually see: a year
 * of their data, a deep cursor, an id they may read.
 */
export async function prepareScenarios(
  baseUrl: string,
  tokens: Record<Caller, string>,
  names: readonly ScenarioName[],
  say: (m: string) => void,
): Promise<PreparedScenario[]> {
  const first = await getJson<GridPageBody>(baseUrl, documentsPath(), tokens.user);
  if (first.data.length === 0)
    throw new Error('the grid user sees no documents: is the seed loaded?');
  const newest = parseTimestamp(String(first.data[0].createdOn));
  // The year before the latest one: the index range starts deep, not at the top.
  const to = new Date(newest.getTime() - 365 * 86_400_000);
  const from = new Date(to.getTime() - 365 * 86_400_000);
  const year = `${isoDate(from)},${isoDate(to)}`;
  const visibleId = String(first.data[Math.min(10, first.data.length - 1)].id);

  const out: PreparedScenario[] = [];
  for (const name of names) {
    const s = await prepareOne(name);
    out.push(s);
  }
  return out;

  async function prepareOne(name: ScenarioName): Promise<PreparedScenario> {
    switch (name) {
      case 'grid-admin':
        return { name, caller: 'admin', path: documentsPath(), kind: 'floors' };
      case 'grid-user':
        return { name, caller: 'user', path: documentsPath(), kind: 'floors' };
      case 'grid-filtered':
        return {
          name,
          caller: 'user',
          path: documentsPath({ 'filter[status]': 'active', 'filter[createdOn][between]': year }),
          kind: 'floors',
          note: `created ${year}`,
        };
      case 'grid-deep': {
        const target = 10_000 * 50;
        const started = performance.now();
        const deep = await deepCursor(baseUrl, tokens.user, target, 50);
        const took = ((performance.now() - started) / 1000).toFixed(1);
        const pages = Math.floor(deep.depthRows / 50);
        say(
          `  grid-deep: cursor ${deep.depthRows.toLocaleString('en-US')} rows (${pages.toLocaleString('en-US')} pages of 50) in, walked in ${took} s` +
            (deep.depthRows < target ? ' — the grid user sees fewer rows than 10,000 pages' : ''),
        );
        return {
          name,
          caller: 'user',
          path: documentsPath(deep.cursor ? { cursor: deep.cursor } : {}),
          kind: 'floors',
          referencePath: documentsPath(),
          note: `${pages.toLocaleString('en-US')} pages in`,
        };
      }
      case 'grid-offset':
      case 'grid-offset-admin':
        // Page 100 by offset, as an infinite-scroll grid asks for it.
        return {
          name,
          caller: name === 'grid-offset' ? 'user' : 'admin',
          path: documentsPath({ offset: String(OFFSET_PAGE_100) }),
          kind: 'floors',
          note: `offset ${OFFSET_PAGE_100.toLocaleString('en-US')}`,
        };
      case 'values-user':
        return {
          name,
          caller: 'user',
          path: '/api/documents/columns/status/values',
          kind: 'floors',
          note: 'no filter',
        };
      case 'values-filtered':
        return {
          name,
          caller: 'user',
          path:
            '/api/documents/columns/status/values?' +
            new URLSearchParams({
              'filter[createdOn][between]': year,
              'filter[mimeType]': 'application/pdf',
            }).toString(),
          kind: 'floors',
          note: 'created a year, pdf',
        };
      case 'inbox': {
        const res = await fetch(`${baseUrl}/api/inbox`, {
          headers: { authorization: `Bearer ${tokens.inbox}` },
        });
        await res.arrayBuffer();
        const skipped = res.status === 404 ? 'skipped: route missing' : undefined;
        return { name, caller: 'inbox', path: '/api/inbox', kind: 'floors', skipped };
      }
      case 'item':
        return { name, caller: 'user', path: `/api/documents/${visibleId}`, kind: 'floors' };
      case 'parallel-loaders':
        return {
          name,
          caller: 'user',
          path: documentsPath({ count: 'exact' }),
          kind: 'variants',
          variants: PARALLEL_LOADER_VARIANTS,
          note: 'rows + exact count',
        };
      case 'observability':
        return {
          name,
          caller: 'admin',
          path: documentsPath(),
          kind: 'variants',
          variants: OBSERVABILITY_VARIANTS,
          variantPool: OBSERVABILITY_POOL,
          note: `pool ${OBSERVABILITY_POOL} each`,
        };
      case 'burst':
        return {
          name,
          caller: 'user',
          path: documentsPath(),
          kind: 'burst',
          variants: BURST_VARIANTS,
        };
      case 'login-flood':
        return { name, caller: 'user', path: documentsPath(), kind: 'login-flood' };
      case 'bulk-upload':
        return { name, caller: 'user', path: documentsPath(), kind: 'bulk-upload' };
    }
  }
}
