import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import type { AppConfig } from '../../src/core/config/config.schema';
import { loadConfig } from '../../src/core/config/config.schema';
import { computePoolBudget, computeReplicaPoolBudget } from '../../src/core/database/pool-budget';
import { listenPort } from '../../src/create-app';

/* The few fields of Kubernetes objects these checks read. */
interface Probe {
  httpGet?: { path?: string; port?: number | string };
  timeoutSeconds?: number;
}
interface Container {
  name: string;
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  lifecycle?: { preStop?: { exec?: { command?: string[] } } };
}
interface PodSpec {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
}
export interface K8sObject {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    replicas?: number;
    strategy?: { rollingUpdate?: { maxSurge?: number | string } };
    selector?: { matchLabels?: Record<string, string> } & Record<string, unknown>;
    template?: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec: PodSpec;
    };
    ports?: { targetPort?: number | string }[];
  };
}

export const K8S_DIR = join(__dirname, '..', '..', 'docker', 'k8s');

export function readManifests(dir = K8S_DIR): K8sObject[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .flatMap((f) => loadAll(readFileSync(join(dir, f), 'utf8')) as K8sObject[])
    .filter((o) => o !== null && o !== undefined);
}

/** A probe as the container will run it. */
export interface ResolvedProbe {
  deployment: string;
  /** scrape: Prometheus, from the pod's prometheus.io/path and prometheus.io/port annotations. */
  kind: 'startupProbe' | 'livenessProbe' | 'readinessProbe' | 'scrape';
  path: string;
  port: number | undefined;
}

/** A Deployment's process: its configuration as the app would load it, its probes, its pod count. */
export interface DeploymentPlan {
  name: string;
  cfg: AppConfig;
  /** replicas + maxSurge: the most pods that run at once during a rollout. */
  maxPods: number;
  poolMax: number;
  /** Its pool on each read replica (0 without DATABASE_READ_URLS). */
  replicaPoolMax: number;
  probes: ResolvedProbe[];
  podLabels: Record<string, string>;
  containerPorts: Map<string, number>;
}

/** ceil for a percentage, as Kubernetes rounds maxSurge up (default 25%). */
export function surgeOf(replicas: number, maxSurge: number | string | undefined): number {
  const s = maxSurge ?? '25%';
  if (typeof s === 'number') return s;
  const pct = /^(\d+)%$/.exec(s);
  if (!pct) throw new Error(`maxSurge "${s}": neither a number nor a percentage`);
  return Math.ceil((replicas * Number(pct[1])) / 100);
}

/** The environment of a container: ConfigMaps and Secrets it names, then its own env. */
function envOf(c: Container, objects: K8sObject[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    const ref = from.configMapRef?.name ?? from.secretRef?.name;
    const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
    const source = objects.find((o) => o.kind === kind && o.metadata.name === ref);
    if (!source)
      throw new Error(`container ${c.name}: ${kind} ${String(ref)} is not among the manifests`);
    Object.assign(env, source.data ?? {}, source.stringData ?? {});
  }
  for (const e of c.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  return env;
}

export function planDeployments(objects: K8sObject[]): DeploymentPlan[] {
  return objects
    .filter((o) => o.kind === 'Deployment')
    .map((d) => {
      const pod = d.spec!.template!.spec;
      const [c] = pod.containers;
      const cfg = loadConfig(envOf(c, objects));
      const replicas = d.spec!.replicas ?? 1;
      const containerPorts = new Map<string, number>();
      for (const p of c.ports ?? [])
        containerPorts.set(p.name ?? String(p.containerPort), p.containerPort);
      const resolvePort = (port: number | string | undefined) =>
        typeof port === 'string' ? containerPorts.get(port) : port;
      const probes: ResolvedProbe[] = [];
      for (const kind of ['startupProbe', 'livenessProbe', 'readinessProbe'] as const) {
        const probe = c[kind];
        if (!probe) continue;
        probes.push({
          deployment: d.metadata.name,
          kind,
          path: probe.httpGet?.path ?? '(no httpGet)',
          port: resolvePort(probe.httpGet?.port),
        });
      }
      const annotations = d.spec!.template!.metadata?.annotations ?? {};
      if (annotations['prometheus.io/scrape'] === 'true') {
        const port = annotations['prometheus.io/port'];
        probes.push({
          deployment: d.metadata.name,
          kind: 'scrape',
          path: annotations['prometheus.io/path'] ?? '/metrics',
          port: port === undefined ? undefined : Number(port),
        });
      }
      return {
        name: d.metadata.name,
        cfg,
        maxPods: replicas + surgeOf(replicas, d.spec!.strategy?.rollingUpdate?.maxSurge),
        poolMax: computePoolBudget(cfg.db).poolMax,
        replicaPoolMax: cfg.db.readUrls.length > 0 ? computeReplicaPoolBudget(cfg.db).poolMax : 0,
        probes,
        podLabels: d.spec!.template!.metadata?.labels ?? {},
        containerPorts,
      };
    });
}

/**
 * What is wrong with the manifests, one line each (empty: nothing). `served`
 * tells which paths the app answers for a role (the test asks the real app).
 */
export function checkManifests(
  objects: K8sObject[],
  served: (role: AppConfig['role'], path: string) => boolean,
): string[] {
  const problems: string[] = [];
  const plans = planDeployments(objects);
  if (!plans.some((p) => p.cfg.role === 'api')) problems.push('no Deployment runs APP_ROLE=api');
  if (!plans.some((p) => p.cfg.role === 'worker'))
    problems.push('no Deployment runs APP_ROLE=worker');

  for (const plan of plans) {
    const port = listenPort(plan.cfg);
    const kinds = new Set(plan.probes.map((p) => p.kind));
    for (const kind of ['startupProbe', 'livenessProbe', 'readinessProbe'] as const) {
      if (!kinds.has(kind)) problems.push(`${plan.name}: no ${kind}`);
    }
    if (!kinds.has('scrape')) problems.push(`${plan.name}: no prometheus.io/scrape annotation`);
    const livenessPort = plan.cfg.health.livenessPort;
    for (const probe of plan.probes) {
      const where = `${plan.name} ${probe.kind} ${probe.path}`;
      // With LIVENESS_PORT, liveness goes to the liveness thread: on the HTTP port it
      // would queue behind the busy loop the thread is there to see past.
      const expected = probe.kind === 'livenessProbe' ? (livenessPort ?? port) : port;
      if (probe.port !== expected) {
        problems.push(
          `${where}: port ${String(probe.port)}, but a ${plan.cfg.role} process ` +
            (expected === port ? `listens on ${port}` : `answers liveness on ${expected}`),
        );
      }
      if (!served(plan.cfg.role, probe.path)) {
        problems.push(`${where}: the ${plan.cfg.role} role does not serve this path`);
      }
      if (probe.kind === 'scrape') continue;
      if (probe.kind !== 'readinessProbe' && probe.path !== '/health/live') {
        problems.push(
          `${where}: liveness and startup must not depend on anything (use /health/live)`,
        );
      }
      if (probe.kind === 'readinessProbe' && probe.path !== '/health/ready') {
        problems.push(`${where}: readiness is /health/ready`);
      }
    }
  }

  // A worker's pool holds its batch chunks in flight, the health ping and the sweeper.
  for (const plan of plans.filter((p) => p.cfg.role !== 'api')) {
    const needed = plan.cfg.queue.batchConcurrency * plan.cfg.queue.batchParallelChunks + 2;
    if (plan.poolMax < needed) {
      problems.push(
        `${plan.name}: a pool of ${plan.poolMax} is less than BATCH_CONCURRENCY × BATCH_PARALLEL_CHUNKS + 2 = ${needed}`,
      );
    }
  }

  // The connection budget: every pod that can run at once, surge included.
  const budget = plans.map((p) => p.cfg.db);
  const [first] = budget;
  for (const [i, db] of budget.entries()) {
    if (
      db.maxConnections !== first.maxConnections ||
      db.reservedConnections !== first.reservedConnections ||
      db.poolProcesses !== first.poolProcesses
    ) {
      problems.push(`${plans[i].name}: its connection budget differs from ${plans[0].name}'s`);
    }
  }
  if (first) {
    const pods = plans.reduce((n, p) => n + p.maxPods, 0);
    const held = plans.reduce((n, p) => n + p.maxPods * p.poolMax, 0);
    const usable = first.maxConnections - first.reservedConnections;
    if (held > usable) {
      problems.push(
        `connection budget overflows: ${plans.map((p) => `${p.name} ${p.maxPods} pods × ${p.poolMax}`).join(' + ')} = ${held} ` +
          `> DB_MAX_CONNECTIONS ${first.maxConnections} − DB_RESERVED_CONNECTIONS ${first.reservedConnections} = ${usable}`,
      );
    }
    // Each read replica: the same pods, each with its replica pool, within the replica budget.
    const replicaHeld = plans.reduce((n, p) => n + p.maxPods * p.replicaPoolMax, 0);
    const replicaUsable = first.replicaMaxConnections - first.replicaReservedConnections;
    if (replicaHeld > replicaUsable) {
      problems.push(
        `replica connection budget overflows: ${replicaHeld} > DB_REPLICA_MAX_CONNECTIONS ` +
          `${first.replicaMaxConnections} − DB_REPLICA_RESERVED_CONNECTIONS ${first.replicaReservedConnections} = ${replicaUsable}`,
      );
    }
    if (first.poolProcesses < pods) {
      problems.push(
        `DB_POOL_PROCESSES is ${first.poolProcesses}, but up to ${pods} pods run at once (surge included)`,
      );
    }
  }

  // The Service and the disruption budgets reach the pods they mean.
  for (const o of objects) {
    const selector =
      o.kind === 'Service'
        ? (o.spec?.selector as Record<string, string> | undefined)
        : o.kind === 'PodDisruptionBudget'
          ? o.spec?.selector?.matchLabels
          : undefined;
    if (!selector) continue;
    const matches = plans.filter((p) =>
      Object.entries(selector).every(([k, v]) => p.podLabels[k] === v),
    );
    if (matches.length === 0) problems.push(`${o.kind} ${o.metadata.name}: selects no pod`);
    if (o.kind === 'Service') {
      for (const port of o.spec?.ports ?? []) {
        for (const m of matches) {
          const target =
            typeof port.targetPort === 'string'
              ? m.containerPorts.get(port.targetPort)
              : port.targetPort;
          if (target !== listenPort(m.cfg)) {
            problems.push(
              `Service ${o.metadata.name}: targetPort ${String(port.targetPort)} is not where ${m.name} listens`,
            );
          }
        }
      }
    }
  }
  return problems;
}
