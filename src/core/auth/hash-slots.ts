/**
 * At most `max` password hashes at once, the others waiting in order. The
 * login lane bounds sign-ins in flight, but a client that leaves frees its lane
 * slot while its hash goes on: without this, clients that send and leave could
 * pile hashes onto libuv's threadpool (4 threads by default), which file access
 * and DNS lookups need too. Work whose client has left by its turn is skipped.
 */
export class HashSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) {
      throw new Error(`max must be a positive integer, got ${max}`);
    }
  }

  /** Runs `work` in a slot; undefined, without running it, when `skip()` holds by then. */
  async run<T>(work: () => Promise<T>, skip: () => boolean = () => false): Promise<T | undefined> {
    if (this.running < this.max) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return skip() ? undefined : await work();
    } finally {
      // The slot goes straight to the next waiter, if any.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  get queued(): number {
    return this.waiting.length;
  }
}
