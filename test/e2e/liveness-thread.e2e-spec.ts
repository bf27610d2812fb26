import { spawn } from 'node:child_process';
import { LivenessThread } from '../../src/core/health/liveness-thread';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

/**
 * Liveness from its own thread (LIVENESS_PORT): answered while the main event
 * loop is blocked, 503 once the block outlasts LIVENESS_MAX_STALL_MS. The
 * probe runs in a child process, as the kubelet would: this test's own loop is
 * the one being blocked.
 */
describe('liveness thread', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp({ LIVENESS_PORT: '0', LIVENESS_MAX_STALL_MS: '1000' });
    port = t.app.get(LivenessThread).port as number;
  });
  afterAll(async () => t.close());

  /**
   * GETs a path of the liveness port from a child process, `delayMs` after the
   * child is up (`ready`: node started, which can take a while on a busy machine).
   */
  function probeLater(path: string, delayMs: number) {
    const script = `process.stdout.write('ready\\n');
    setTimeout(async () => {
      const res = await fetch('http://127.0.0.1:${port}${path}');
      const body = await res.text();
      process.stdout.write(JSON.stringify({ status: res.status, body, at: Date.now() }));
    }, ${delayMs});`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let signalReady: () => void = () => undefined;
    const ready = new Promise<void>((r) => (signalReady = r));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('ready\n')) signalReady();
    });
    const answer = new Promise<{ status: number; body: string; at: number }>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', () =>
        resolve(
          JSON.parse(out.slice('ready\n'.length)) as { status: number; body: string; at: number },
        ),
      );
    });
    return { ready, answer };
  }

  function blockMainLoop(ms: number): number {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      // Busy: nothing else runs on this thread until the block ends.
    }
    return Date.now();
  }

  it('answers 200 while the main loop turns, with the error shape elsewhere', async () => {
    const ok = await probeLater('/health/live', 0).answer;
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({
      status: 'ok',
      details: { process: { status: 'up', maxStallMs: 1000 } },
    });
    const other = await probeLater('/api/documents', 0).answer;
    expect(other.status).toBe(404);
    expect(JSON.parse(other.body)).toMatchObject({ statusCode: 404, code: 'ROUTE_NOT_FOUND' });
  });

  it('answers while the main loop is blocked, and 503 once the block outlasts the stall allowed', async () => {
    // Asking 1.5 s into a 4 s block: answered before the block ends.
    const probe = probeLater('/health/live', 1_500);
    await probe.ready;
    const blockEnded = blockMainLoop(4_000);
    const answer = await probe.answer;
    expect(answer.at).toBeLessThan(blockEnded);
    expect(answer.status).toBe(503);
    const body = JSON.parse(answer.body) as {
      details: { process: { status: string; eventLoopStalledMs: number } };
    };
    expect(body.details.process.status).toBe('down');
    expect(body.details.process.eventLoopStalledMs).toBeGreaterThan(1000);
    // The loop turns again: alive.
    await new Promise((r) => setTimeout(r, 1_200));
    expect((await probeLater('/health/live', 0).answer).status).toBe(200);
  });
});
