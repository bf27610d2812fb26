import { ClsService } from 'nestjs-cls';
import type { Principal, RequestStore } from '../../src/core/context/request-context.service';
import { RequestContext } from '../../src/core/context/request-context.service';
import { Db } from '../../src/core/database/db.service';
import type { TestApp } from './test-app';

/**
 * Counts SQL statements per request context: every statement sent through Db
 * adds one to the `statements` of the context it was sent from. HTTP requests
 * are looked up by their request id (send x-request-id to choose it).
 */
export class StatementCounter {
  readonly byRequest = new Map<string, number>();
  private readonly stop: () => void;

  constructor(private readonly t: TestApp) {
    const ctx = t.app.get(RequestContext);
    this.stop = t.app.get(Db).onQuery(() => {
      const store = ctx.store();
      if (!store) return;
      store.statements = (store.statements ?? 0) + 1;
      const id = ctx.requestId;
      if (id) this.byRequest.set(id, (this.byRequest.get(id) ?? 0) + 1);
    });
  }

  /** Statements the HTTP request with this x-request-id sent (0 when none). */
  of(requestId: string): number {
    return this.byRequest.get(requestId) ?? 0;
  }

  /** Runs fn in a request context of its own, as `principal`; returns its result and statement count. */
  async inRequest<T>(
    principal: Principal,
    fn: () => Promise<T>,
  ): Promise<{ result: T; statements: number }> {
    const cls = this.t.app.get<ClsService<RequestStore>>(ClsService);
    return cls.run({ ifNested: 'override' }, async () => {
      cls.set('principal', principal);
      const result = await fn();
      return { result, statements: cls.get('statements') ?? 0 };
    });
  }

  close(): void {
    this.stop();
  }
}
