import request from 'supertest';
import type { AppRole } from '../../src/core/config/config.schema';
import type { K8sObject } from '../support/k8s-manifests';
import { checkManifests, planDeployments, readManifests, surgeOf } from '../support/k8s-manifests';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-db';
import type { TestDatabase } from '../support/test-db';

describe('Kubernetes manifests (docker/k8s)', () => {
  const manifests = readManifests();
  let db: TestDatabase;
  const apps = new Map<AppRole, TestApp>();
  /** Path → status, as the real app of each role answers it. */
  const answers = new Map<string, number>();
  const served = (role: AppRole, path: string) => {
    const status = answers.get(`${role} ${path}`);
    return status !== undefined && status !== 404;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const probes = planDeployments(manifests).flatMap((p) =>
      p.probes.map((probe) => ({ role: p.cfg.role, path: probe.path })),
    );
    const extra = ['/healthz', '/health/live', '/health/ready', '/health', '/prometheus'];
    for (const role of ['api', 'worker'] as const) {
      apps.set(role, await startTestApp({ APP_ROLE: role }, db));
      const paths = new Set([
        ...probes.filter((p) => p.role === role).map((p) => p.path),
        ...extra,
      ]);
      for (const path of paths) {
        const res = await request(apps.get(role)!.server).get(path);
        answers.set(`${role} ${path}`, res.status);
      }
    }
  });
  afterAll(async () => {
    for (const app of apps.values()) await app.close();
    await db.drop();
  });

  it('point every probe at a route and port the app serves, and fit the connection budget', () => {
    expect(checkManifests(manifests, served)).toEqual([]);
  });

  it('give api and worker each liveness, readiness and startup probes and resources', () => {
    const plans = planDeployments(manifests);
    expect(plans.map((p) => [p.name, p.cfg.role, p.cfg.nodeEnv])).toEqual([
      ['postroom-api', 'api', 'production'],
      ['postroom-worker', 'worker', 'production'],
    ]);
    for (const d of manifests.filter((o) => o.kind === 'Deployment')) {
      const pod = d.spec!.template!.spec;
      const c = pod.containers[0];
      expect(c.resources?.requests).toEqual({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(c.resources?.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      const cfg = plans.find((p) => p.name === d.metadata.name)!.cfg;
      // The app answers a readiness check (503 included) before the probe times out...
      expect(c.readinessProbe!.timeoutSeconds! * 1000).toBeGreaterThan(cfg.health.checkTimeoutMs);
      // ...and in-flight work may finish before the kubelet kills the pod.
      const preStop = Number(c.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
      expect(pod.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(
        preStop * 1000 + cfg.http.shutdownTimeoutMs,
      );
    }
  });

  it('fails when a probe points elsewhere or the budget overflows', () => {
    const broken = structuredClone<K8sObject[]>(manifests);
    const api = broken.find((o) => o.kind === 'Deployment' && o.metadata.name === 'postroom-api')!;
    const worker = broken.find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'postroom-worker',
    )!;
    api.spec!.template!.spec.containers[0].readinessProbe!.httpGet!.path = '/healthz';
    worker.spec!.template!.spec.containers[0].livenessProbe!.httpGet!.port = 3000;
    worker.spec!.template!.metadata!.annotations!['prometheus.io/port'] = '3000';
    api.spec!.template!.metadata!.annotations!['prometheus.io/path'] = '/prometheus';
    worker.spec!.replicas = 8;
    worker.spec!.template!.spec.containers[0].env!.push({ name: 'BATCH_CONCURRENCY', value: '8' });
    const problems = checkManifests(broken, served);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^postroom-api readinessProbe \/healthz: the api role does not serve/,
        ),
        expect.stringMatching(
          /^postroom-worker livenessProbe \/health\/live: port 3000, but a worker process answers liveness on 9000/,
        ),
        expect.stringMatching(
          /^postroom-worker scrape \/metrics: port 3000, but a worker process listens on 3001/,
        ),
        expect.stringMatching(/^postroom-api scrape \/prometheus: the api role does not serve/),
        expect.stringMatching(
          /^connection budget overflows: postroom-api 4 pods × 12 \+ postroom-worker 9 pods × 12 = 156 > /,
        ),
        'DB_POOL_PROCESSES is 7, but up to 13 pods run at once (surge included)',
        'postroom-worker: a pool of 12 is less than BATCH_CONCURRENCY × BATCH_PARALLEL_CHUNKS + 2 = 18',
      ]),
    );
  });

  it('round maxSurge as Kubernetes does', () => {
    expect(surgeOf(3, 1)).toBe(1);
    expect(surgeOf(3, '25%')).toBe(1);
    expect(surgeOf(10, '25%')).toBe(3);
    expect(surgeOf(4, undefined)).toBe(1);
  });
});
