import { Injectable } from '@nestjs/common';
import { CLS_ID, ClsService } from 'nestjs-cls';
import type { ClsStore } from 'nestjs-cls';

/** The signed-in caller, as the token and the user record say. */
export interface Principal {
  userId: number;
  organizationId: number | null;
  isPlatformAdmin: boolean;
  isOrgAdmin: boolean;
  /**
   * The account's credential version the token was issued at (its `cv`); null
   * for callers without a token (command-line tools), who have none to revoke.
   */
  credentialVersion: number | null;
}

export interface RequestStore extends ClsStore {
  principal?: Principal;
  memo?: Map<string, Promise<unknown>>;
  statements?: number;
  /**
   * Time spent waiting for at least one pooled connection so far (request
   * metrics): the union of the waits, so parallel loaders waiting together count
   * once. `poolWaitUntil` is the end of the last wait counted.
   */
  poolWaitMs?: number;
  poolWaitUntil?: number;
  /** The trace of this request or job (tracing on), for its log lines. */
  traceId?: string;
  slots?: { inUse: number; waiters: (() => void)[] };
  /** This request (or job) sent a write to the primary: its later reads stay there. */
  wrote?: boolean;
  /** The caller's last committed write position (read-your-writes), looked up once per request. */
  lastWriteLsn?: Promise<bigint | undefined>;
}

/**
 * The request cache: state that lives exactly as long as one request (or one
 * queue job), kept in nestjs-cls. `memo` evaluates a key at most once per
 * request; concurrent callers of a key share one in-flight promise.
 */
@Injectable()
export class RequestContext {
  constructor(private readonly cls: ClsService<RequestStore>) {}

  get active(): boolean {
    return this.cls.isActive();
  }

  get principal(): Principal | undefined {
    return this.active ? this.cls.get('principal') : undefined;
  }

  set principal(p: Principal | undefined) {
    this.cls.set('principal', p);
  }

  get requestId(): string | undefined {
    return this.active ? this.cls.getId() : undefined;
  }

  store(): RequestStore | undefined {
    return this.active ? this.cls.get() : undefined;
  }

  memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    const store = this.store();
    if (!store) return load();
    store.memo ??= new Map();
    const found = store.memo.get(key);
    if (found) return found as Promise<T>;
    const p = load();
    store.memo.set(key, p);
    // A failed evaluation is not cached: the next caller tries again.
    p.catch(() => store.memo?.delete(key));
    return p;
  }

  /** Drops a memoized key: the next memo() call evaluates it again. */
  forget(key: string): void {
    this.store()?.memo?.delete(key);
  }

  /**
   * Runs fn in a fresh context of its own (queue jobs, start-up work); `id`
   * becomes its requestId, so every log line of a job names the job.
   */
  run<T>(fn: () => Promise<T>, id?: string): Promise<T> {
    return this.cls.run({ ifNested: 'override' }, () => {
      // The typed store does not name CLS_ID; the untyped view does.
      if (id !== undefined) (this.cls as ClsService).set(CLS_ID, id);
      return fn();
    });
  }
}
