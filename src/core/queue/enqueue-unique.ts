import type { JobOptions, Queue } from 'bull';
import { withTimeout } from '../async/with-timeout';
import { whenReady } from './bull-redis';

export type EnqueueOutcome = 'added' | 'present';

/**
 * Adds a job under a fixed id unless one with that id is still waiting, delayed
 * or active (then nothing happens: re-enqueuing is always safe). A finished job
 * under the id is removed first, since Bull ignores an add whose id exists.
 * Bounded by timeoutMs, however Redis behaves: Bull's own add would wait for a
 * connection for as long as Redis is away.
 */
export async function enqueueUnique(
  queue: Queue,
  job: { name: string; data: object; jobId: string; opts?: JobOptions },
  timeoutMs: number,
): Promise<EnqueueOutcome> {
  const started = Date.now();
  const what = `Redis (queue ${queue.name})`;
  await whenReady(queue.client, timeoutMs, what);
  const left = Math.max(1, timeoutMs - (Date.now() - started));
  return withTimeout(addOnce(queue, job), left, what);
}

async function addOnce(
  queue: Queue,
  job: { name: string; data: object; jobId: string; opts?: JobOptions },
): Promise<EnqueueOutcome> {
  const existing = await queue.getJob(job.jobId);
  if (existing) {
    const state = await existing.getState();
    if (state !== 'completed' && state !== 'failed' && state !== 'stuck') return 'present';
    try {
      await existing.remove();
    } catch {
      // Locked by a worker that picked it up meanwhile: it is being processed.
      return 'present';
    }
  }
  await queue.add(job.name, job.data, { ...job.opts, jobId: job.jobId });
  return 'added';
}
