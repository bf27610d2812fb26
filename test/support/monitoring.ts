import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

/** The operator files: the Grafana dashboard and the Prometheus alerting rules. */
export const DASHBOARD_FILE = join(__dirname, '..', '..', 'docker', 'grafana', 'postroom.json');
export const ALERTS_FILE = join(__dirname, '..', '..', 'docker', 'prometheus', 'alerts.yml');

/** Series Prometheus makes itself for every target: queries may use them too. */
export const PROMETHEUS_OWN_METRICS = new Set(['up']);

/**
 * The series names a /metrics text exposes, from its `# TYPE` lines (present even
 * for a metric without a sample yet): a histogram's _bucket, _sum and _count, a
 * summary's quantiles, _sum and _count.
 */
export function exposedMetricNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
    else if (type === 'summary') for (const s of ['', '_sum', '_count']) names.add(name + s);
    else names.add(name);
  }
  return names;
}

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads (Grafana variables allowed): what is
 * left once strings, label matchers, ranges, grouping lists, numbers and
 * variables are removed, minus function names (followed by a parenthesis) and
 * keywords. Enough for the expressions of a dashboard and of alerting rules.
 */
export function metricNamesOf(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ')
    .replace(/\$\{?\w+\}?/g, ' ')
    .replace(/(?<![\w:])\d+(?:\.\d+)?(?:e[+-]?\d+)?[smhdwy]?/gi, ' ');
  const names = new Set<string>();
  for (const m of bare.matchAll(/(?<![\w:])[a-zA-Z_:][\w:]*(?!\s*\(|[\w:])/g))
    if (!KEYWORDS.has(m[0].toLowerCase())) names.add(m[0]);
  return [...names];
}

/** An expression that reads no metric, or one /metrics does not expose. */
export function unknownMetrics(
  exprs: readonly { where: string; expr: string }[],
  exposed: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  for (const { where, expr } of exprs) {
    const names = metricNamesOf(expr);
    if (names.length === 0) problems.push(`${where}: reads no metric: ${expr}`);
    for (const n of names)
      if (!exposed.has(n) && !PROMETHEUS_OWN_METRICS.has(n))
        problems.push(`${where}: ${n} is not exposed by /metrics`);
  }
  return problems;
}

export interface DashboardPanel {
  id: number;
  title: string;
  type: string;
  datasource?: { type: string; uid: string };
  targets?: { expr: string; refId: string; datasource?: { type: string; uid: string } }[];
  panels?: DashboardPanel[];
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: DashboardPanel[];
  templating: {
    list: { name: string; type: string; query: string | { query: string } }[];
  };
}

export function readDashboard(file = DASHBOARD_FILE): Dashboard {
  return JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
}

/** Every panel, rows' nested panels included. */
export function panelsOf(d: Dashboard): DashboardPanel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** Every query of the dashboard: panel targets and the query variables' label_values(). */
export function dashboardExprs(d: Dashboard): { where: string; expr: string }[] {
  const exprs = panelsOf(d).flatMap((p) =>
    (p.targets ?? []).map((t) => ({ where: `panel "${p.title}" ${t.refId}`, expr: t.expr })),
  );
  for (const v of d.templating.list.filter((x) => x.type === 'query')) {
    const q = typeof v.query === 'string' ? v.query : v.query.query;
    const m = /^label_values\((.+),\s*\w+\)$/.exec(q.trim());
    exprs.push({ where: `variable ${v.name}`, expr: m ? m[1] : q });
  }
  return exprs;
}

export interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function readAlertRules(file = ALERTS_FILE): AlertRule[] {
  const doc = load(readFileSync(file, 'utf8')) as { groups: { rules: AlertRule[] }[] };
  return doc.groups.flatMap((g) => g.rules);
}
