/**
 * What the batches module needs of processing: hand a committed batch on.
 * Provided by batch-processing (BatchProducer), so the dependency runs one way.
 */
export interface BatchEnqueuer {
  /** Never throws; false when the batch stays pending for the sweeper. */
  enqueue(batchId: number): Promise<boolean>;
}

export const BATCH_ENQUEUER = Symbol('BATCH_ENQUEUER');
