import { AsyncLocalStorage } from 'node:async_hooks';
import { ClsService } from 'nestjs-cls';
import type { RequestStore } from './request-context.service';
import { RequestContext } from './request-context.service';

describe('RequestContext', () => {
  const cls = new ClsService<RequestStore>(new AsyncLocalStorage());
  const ctx = new RequestContext(cls);
  const principal = {
    userId: 7,
    organizationId: 1,
    isPlatformAdmin: false,
    isOrgAdmin: false,
    credentialVersion: 1,
  };

  it('memoizes a key once per context; concurrent callers share the in-flight promise', async () => {
    await ctx.run(async () => {
      let loads = 0;
      const load = async () => {
        loads++;
        await new Promise((r) => setTimeout(r, 5));
        return { value: 42 };
      };
      const promises = Array.from({ length: 20 }, () => ctx.memo('k', load));
      expect(new Set(promises).size).toBe(1);
      const values = await Promise.all(promises);
      expect(new Set(values).size).toBe(1);
      await ctx.memo('k', load);
      expect(loads).toBe(1);
    });
  });

  it('does not keep a failed evaluation: the next caller tries again', async () => {
    await ctx.run(async () => {
      let calls = 0;
      const flaky = async () => {
        calls++;
        if (calls === 1) throw new Error('database hiccup');
        return 'ok';
      };
      await expect(ctx.memo('f', flaky)).rejects.toThrow('database hiccup');
      await expect(ctx.memo('f', flaky)).resolves.toBe('ok');
      expect(calls).toBe(2);
    });
  });

  it('gives each run (a queue job) a context of its own, even nested in a request', async () => {
    let jobLoads = 0;
    const job = () =>
      ctx.run(async () => {
        expect(ctx.active).toBe(true);
        expect(ctx.principal).toBeUndefined(); // nothing leaks from the caller
        await ctx.memo('access:7', async () => ++jobLoads);
        return ctx.memo('access:7', async () => ++jobLoads);
      });
    await ctx.run(async () => {
      ctx.principal = principal;
      await ctx.memo('access:7', async () => 'request value');
      const [a, b] = await Promise.all([job(), job()]);
      expect([a, b].sort()).toEqual([1, 2]); // one evaluation per job, none shared
      // The request's own context is untouched by the jobs.
      expect(ctx.principal).toEqual(principal);
      await expect(ctx.memo('access:7', async () => 'other')).resolves.toBe('request value');
    });
  });

  it('evaluates without caching outside any context', async () => {
    expect(ctx.active).toBe(false);
    let loads = 0;
    await ctx.memo('x', async () => ++loads);
    await ctx.memo('x', async () => ++loads);
    expect(loads).toBe(2);
    expect(ctx.principal).toBeUndefined();
  });
});
