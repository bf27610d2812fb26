/** The queue figures could not be read: Redis is not connected or did not answer in time. */
export class QueueUnavailableError extends Error {
  readonly code = 'QUEUE_UNAVAILABLE';
  constructor(cause: unknown) {
    super(`Queue figures unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'QueueUnavailableError';
  }
}
