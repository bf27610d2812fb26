import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import type { LivenessWorkerData } from './liveness.worker';

/** How often the main loop stamps its heartbeat. */
const BEAT_MS = 250;

/**
 * Liveness on a port of its own (LIVENESS_PORT), answered by a thread from
 * the main event loop's heartbeat in shared memory. /health/live on the HTTP
 * port queues behind whatever the main loop is doing: a 13 MB import body
 * being read, a burst of grid pages. Kubernetes reads a late answer as a dead
 * process and restarts a healthy pod. This thread answers at once, and says
 * 503 only when the main loop has not turned for LIVENESS_MAX_STALL_MS: a
 * stuck process, which is what a liveness probe is for.
 */
@Injectable()
export class LivenessThread implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Liveness');
  private worker: Worker | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The port the thread listens on, once started. */
  port: number | undefined;

  constructor(@Inject(APP_CONFIG) private readonly cfg: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.cfg.health.livenessPort;
    if (port === undefined) return;
    const heartbeat = new SharedArrayBuffer(8);
    const beat = new BigInt64Array(heartbeat);
    const stamp = () => Atomics.store(beat, 0, BigInt(Date.now()));
    stamp();
    this.timer = setInterval(stamp, BEAT_MS).unref();
    const data: LivenessWorkerData = {
      heartbeat,
      host: this.cfg.http.host,
      port,
      maxStallMs: this.cfg.health.livenessMaxStallMs,
    };
    const worker = new Worker(workerFile(), { workerData: data, execArgv: workerExecArgv() });
    this.worker = worker;
    this.port = await new Promise<number>((resolve, reject) => {
      worker.once('message', (m: { port: number }) => resolve(m.port));
      worker.once('error', reject);
    });
    worker.on('error', (e) => this.log.error(`liveness thread failed: ${e.message}`));
    worker.unref();
    this.log.log(`liveness on port ${this.port} (503 after ${data.maxStallMs} ms without a turn)`);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.worker?.terminate();
    this.worker = undefined;
  }
}

/** The compiled script, or under the test runner (TypeScript sources) the source. */
function workerFile(): string {
  return join(__dirname, `liveness.worker.${__filename.endsWith('.js') ? 'js' : 'ts'}`);
}

function workerExecArgv(): string[] | undefined {
  if (__filename.endsWith('.js')) return undefined;
  return ['--require', join(__dirname, '..', '..', '..', 'test', 'support', 'ts-register.js')];
}
