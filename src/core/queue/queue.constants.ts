/** Intake batches: one job per batch turns its items into mails and documents. */
export const BATCH_QUEUE = 'batches';
export const PROCESS_BATCH_JOB = 'process-batch';

/** Every queue of the application (health reports each one's workers and backlog). */
export const QUEUE_NAMES: readonly string[] = [BATCH_QUEUE];
