import type { StreamingReplica } from '../../bench/streaming-replica';
import { startReplica as startStreamingReplica } from '../../bench/streaming-replica';
import { TEST_ENV } from './test-env';

export type TestReplica = StreamingReplica;

/**
 * A real streaming replica of the test PostgreSQL (see bench/streaming-replica.ts):
 * `pg_basebackup -R` into a temporary folder, started on a free port as the
 * postgres user; `stop()` removes it and its replication slot.
 */
export function startReplica(): Promise<TestReplica> {
  const url = process.env[TEST_ENV.adminUrl];
  if (!url) throw new Error('test global setup did not run (no admin URL)');
  return startStreamingReplica(url);
}
