import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import request from 'supertest';
import {
  dashboardExprs,
  exposedMetricNames,
  metricNamesOf,
  panelsOf,
  readAlertRules,
  readDashboard,
  unknownMetrics,
} from '../support/monitoring';
import { startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-db';

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

describe('the PromQL reader of the checks below', () => {
  it('finds the metrics an expression reads, not its functions, labels, ranges or variables', () => {
    expect(
      metricNamesOf(
        'topk(10, histogram_quantile(0.95, sum by (le, route) (rate(postroom_http_request_duration_seconds_bucket{job=~"$job", route!="x y"}[$__rate_interval]))))',
      ),
    ).toEqual(['postroom_http_request_duration_seconds_bucket']);
    expect(
      metricNamesOf(
        'sum(max by (application_name, state) (a_b)) / on() max(c:d) > 0.9 and bool e offset 5m or vector(1e3)',
      ),
    ).toEqual(['a_b', 'c:d', 'e']);
  });

  it('reports a name /metrics does not expose, and an expression without a metric', () => {
    const exposed = new Set(['postroom_db_pool_max']);
    expect(
      unknownMetrics(
        [
          { where: 'a', expr: 'postroom_db_pool_max{job="x"} > 1 and up == 1' },
          { where: 'b', expr: 'rate(postroom_db_pool_maximum[5m])' },
          { where: 'c', expr: 'vector(1)' },
        ],
        exposed,
      ),
    ).toEqual([
      'b: postroom_db_pool_maximum is not exposed by /metrics',
      'c: reads no metric: vector(1)',
    ]);
  });
});

describe('Grafana dashboard and alerting rules (docker/grafana, docker/prometheus)', () => {
  const dashboard = readDashboard();
  const rules = readAlertRules();
  /** Every series name api and worker expose at /metrics. */
  const exposed = new Set<string>();

  beforeAll(async () => {
    const db = await createTestDatabase();
    try {
      for (const role of ['api', 'worker']) {
        const t = await startTestApp({ APP_ROLE: role }, db);
        try {
          const text = (await request(t.server).get('/metrics').expect(200)).text;
          for (const name of exposedMetricNames(text)) exposed.add(name);
        } finally {
          await t.close();
        }
      }
    } finally {
      await db.drop();
    }
  });

  it('reads the metric names from the running app', () => {
    // The list the next tests rely on holds the figures of every part.
    for (const name of [
      'postroom_db_pool_in_use',
      'postroom_http_shed_requests_total',
      'postroom_queue_live_workers',
      'postroom_health_ready',
      'postroom_http_request_duration_seconds_bucket',
    ])
      expect(exposed.has(name)).toBe(true);
  });

  it('dashboard: every query reads only metrics /metrics exposes', () => {
    const exprs = dashboardExprs(dashboard);
    expect(exprs.length).toBeGreaterThan(20);
    expect(unknownMetrics(exprs, exposed)).toEqual([]);
  });

  it('dashboard: one Prometheus data source variable, used by every panel and query', () => {
    const ds = dashboard.templating.list.filter((v) => v.type === 'datasource');
    expect(ds).toEqual([expect.objectContaining({ name: 'datasource', query: 'prometheus' })]);
    for (const p of panelsOf(dashboard).filter((x) => x.type !== 'row')) {
      expect([p.title, p.datasource]).toEqual([
        p.title,
        { type: 'prometheus', uid: '${datasource}' },
      ]);
      for (const t of p.targets ?? []) expect(t.datasource?.uid).toBe('${datasource}');
    }
    const ids = panelsOf(dashboard).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('dashboard: every query is valid PromQL (promtool)', () => {
    if (!hasPromtool) {
      // CI installs Debian's prometheus package; elsewhere the check needs it too.
      if (process.env.CI) throw new Error('promtool is missing (apt-get install prometheus)');
      console.warn('promtool not installed: the PromQL syntax check is skipped');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'postroom-dashboard-'));
    try {
      // Each query as a recording rule, Grafana's variables replaced as Grafana would.
      const asRules = dashboardExprs(dashboard).map(({ expr }, i) => ({
        record: `dashboard:query_${i}`,
        expr: expr.replaceAll('$__rate_interval', '1m').replace(/\$\{?(job|instance)\}?/g, '.*'),
      }));
      writeFileSync(join(dir, 'rules.yml'), dump({ groups: [{ name: 'q', rules: asRules }] }));
      expect(
        execFileSync('promtool', ['check', 'rules', join(dir, 'rules.yml')]).toString(),
      ).toMatch(/SUCCESS: \d+ rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('alerts: every rule reads only metrics /metrics exposes', () => {
    const exprs = rules.map((r) => ({ where: r.alert ?? r.record ?? '?', expr: r.expr }));
    expect(unknownMetrics(exprs, exposed)).toEqual([]);
  });

  it('alerts: cover the issue list, each with for:, a severity and the value in its text', () => {
    const names = rules.map((r) => r.alert);
    for (const a of [
      'PostroomPoolSaturated',
      'PostroomPoolAcquireTimeouts',
      'PostroomHttpShedding',
      'PostroomQueueBacklog',
      'PostroomQueueNoLiveWorker',
      'PostroomNotReady',
      'PostroomEventLoopDelay',
    ])
      expect(names).toContain(a);
    for (const r of rules) {
      expect([r.alert, r.for]).toEqual([r.alert, expect.stringMatching(/^\d+[smh]$/)]);
      expect([r.alert, r.labels?.severity]).toEqual([
        r.alert,
        expect.stringMatching(/^(warning|critical)$/),
      ]);
      expect([r.alert, r.annotations?.summary]).toEqual([r.alert, expect.any(String)]);
      expect([r.alert, r.annotations?.description]).toEqual([
        r.alert,
        expect.stringContaining('{{ $value'),
      ]);
    }
  });
});
