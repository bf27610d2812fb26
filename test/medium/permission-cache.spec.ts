import type { Principal } from '../../src/core/context/request-context.service';
import { RedisService } from '../../src/core/cache/redis.service';
import { SharedCache } from '../../src/core/cache/shared-cache.service';
import { PermissionRepository } from '../../src/modules/permission/permission.repository';
import { PolicyEvaluator } from '../../src/modules/permission/policy-evaluator.service';
import { documentResource } from '../../src/modules/document/document.resource';
import { grant } from '../../src/modules/permission/resource';
import { PermissionService } from '../../src/modules/permission/permission.service';
import type { UserAccess } from '../../src/modules/permission/permission.types';
import { seedDemo, sql } from '../support/fixtures';
import { StatementCounter } from '../support/statements';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

describe('permission evaluation: request cache and shared cache', () => {
  let t: TestApp;
  let counter: StatementCounter;
  let permissions: PermissionService;
  let cache: SharedCache;
  const users: Record<string, Principal> = {};

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    counter = new StatementCounter(t);
    permissions = t.app.get(PermissionService);
    cache = t.app.get(SharedCache);
    const rows = await sql<{
      email: string;
      id: number;
      organization_id: number | null;
      is_platform_admin: boolean;
      is_org_admin: boolean;
      credential_version: string;
    }>(
      t.db.url,
      'SELECT email, id, organization_id, is_platform_admin, is_org_admin, credential_version FROM users',
    );
    for (const r of rows) {
      users[r.email] = {
        userId: Number(r.id),
        organizationId: r.organization_id === null ? null : Number(r.organization_id),
        isPlatformAdmin: r.is_platform_admin,
        isOrgAdmin: r.is_org_admin,
        credentialVersion: Number(r.credential_version),
      };
    }
  });
  afterAll(async () => {
    counter.close();
    await t.close();
  });

  /** Makes every cached access of the organization stale, as a grant change would. */
  const invalidate = (org: number | null) => permissions.transaction((_q, bump) => bump(org));

  it('evaluates a permission checked 100 times in one request once: one statement', async () => {
    const clerk = users['clerk@acme.example'];
    await invalidate(clerk.organizationId);
    const loads = permissions.loads;
    const policy = t.app.get(PolicyEvaluator);
    const { statements } = await counter.inRequest(clerk, async () => {
      for (let i = 0; i < 100; i++) {
        await policy.authorize(grant('document', 'view'), 'document');
        await policy.scope(documentResource);
        await policy.guard(documentResource, 'edit');
      }
    });
    expect(permissions.loads - loads).toBe(1);
    expect(statements).toBe(1);
  });

  it('gives 100 concurrent callers one in-flight promise', async () => {
    const finance = users['finance@acme.example'];
    await invalidate(finance.organizationId);
    const loads = permissions.loads;
    const { result, statements } = await counter.inRequest(finance, async () => {
      const promises = Array.from({ length: 100 }, () => permissions.access());
      const values = await Promise.all(promises);
      return { distinctPromises: new Set(promises).size, distinctValues: new Set(values).size };
    });
    expect(result).toEqual({ distinctPromises: 1, distinctValues: 1 });
    expect(permissions.loads - loads).toBe(1);
    expect(statements).toBe(1);
  });

  it('serves the next request from the shared cache without SQL', async () => {
    const admin = users['admin@globex.example'];
    await invalidate(admin.organizationId);
    const cold = await counter.inRequest(admin, () => permissions.access());
    const hits = cache.hits;
    const warm = await counter.inRequest(admin, () => permissions.access());
    expect(cold.statements).toBe(1);
    expect(warm.statements).toBe(0);
    expect(cache.hits - hits).toBe(1);
    expect(warm.result).toEqual(cold.result);
  });

  it('keys the shared cache by organization and user: interleaved users get their own', async () => {
    const people = ['clerk@acme.example', 'finance@acme.example', 'clerk@globex.example'];
    const expected = new Map<string, UserAccess>();
    for (const email of people) {
      expected.set(
        email,
        (await counter.inRequest(users[email], () => permissions.access())).result,
      );
    }
    const runs = Array.from({ length: 60 }, (_, i) => people[i % people.length]);
    const results = await Promise.all(
      runs.map((email) => counter.inRequest(users[email], () => permissions.access())),
    );
    results.forEach(({ result }, i) => expect(result).toEqual(expected.get(runs[i])));
    const clerk = expected.get('clerk@acme.example')!;
    const finance = expected.get('finance@acme.example')!;
    expect(clerk.viewFolderIds).not.toEqual(finance.viewFolderIds);
    const keys = await t.app
      .get(RedisService)
      .client.keys(`${t.cfg.redis.keyPrefix}:c:access:${clerk.organizationId}:*`);
    const key = (id: number) => `${t.cfg.redis.keyPrefix}:c:access:${clerk.organizationId}:${id}`;
    expect(keys).toEqual(expect.arrayContaining([key(clerk.userId), key(finance.userId)]));
  });

  it('never serves an entry stored under one user to another', async () => {
    const clerk = users['clerk@acme.example'];
    const finance = users['finance@acme.example'];
    const financeAccess = (await counter.inRequest(finance, () => permissions.access())).result;
    await counter.inRequest(clerk, () => permissions.access()); // warm, stamp current
    // A corrupted or mixed-up entry under the clerk's key…
    await cache.set(
      cache.key('access', clerk.organizationId, clerk.userId),
      JSON.stringify(financeAccess),
    );
    const { result, statements } = await counter.inRequest(clerk, () => permissions.access());
    expect(result.userId).toBe(clerk.userId); // …is re-evaluated, not served
    expect(statements).toBe(1);
  });

  it('refuses a token of another credential version, and costs a warm valid one nothing', async () => {
    const clerk = users['clerk@acme.example'];
    await invalidate(clerk.organizationId);
    await counter.inRequest(clerk, () => permissions.access()); // warm
    const revoked = { ...clerk, credentialVersion: clerk.credentialVersion! - 1 };
    const refused = await counter
      .inRequest(revoked, () => permissions.access())
      .then(
        () => 'served',
        (e: unknown) => (e as { getResponse(): { code: string } }).getResponse().code,
      );
    expect(refused).toBe('AUTH_TOKEN_REVOKED');
    const warm = await counter.inRequest(clerk, () => permissions.access());
    expect(warm.statements).toBe(0);
    expect(warm.result.credentialVersion).toBe(clerk.credentialVersion);
  });

  it('reads the database, not the cache, for a token newer than the cached access', async () => {
    // A re-created database gives the account under this id a new stamp: an
    // entry cached for the old one must not answer the new one's token.
    const finance = users['finance@acme.example'];
    await counter.inRequest(finance, () => permissions.access()); // warm
    const [{ cv }] = await sql<{ cv: string }>(
      t.db.url,
      `UPDATE users SET credential_version = next_stamp(credential_version),
                        display_name = 'Someone else' WHERE id = $1 RETURNING credential_version AS cv`,
      [finance.userId],
    );
    const newer = { ...finance, credentialVersion: Number(cv) };
    const { result, statements } = await counter.inRequest(newer, () => permissions.access());
    expect(statements).toBe(1);
    expect(result.displayName).toBe('Someone else');
    expect(result.credentialVersion).toBe(Number(cv));
    users['finance@acme.example'] = newer;
  });

  it('moves version stamps only forward', async () => {
    const key = cache.key('test-stamp', Date.now());
    expect(await cache.raise(key, 5)).toBe(true);
    await cache.raise(key, 3);
    await cache.raise(key, 4);
    const [value] = (await cache.mget([key]))!;
    expect(value).toBe('5');
    await cache.raise(key, 6);
    expect((await cache.mget([key]))![0]).toBe('6');
  });

  it('never serves an access evaluated before a concurrent grant change after it', async () => {
    const clerk = users['clerk@acme.example'];
    await invalidate(clerk.organizationId);
    const repo = t.app.get(PermissionRepository);
    const original = repo.loadAccess.bind(repo);
    let readDone!: () => void;
    const read = new Promise<void>((r) => (readDone = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    jest.spyOn(repo, 'loadAccess').mockImplementationOnce(async (id: number) => {
      const row = await original(id);
      readDone();
      await gate; // the change commits and is published while this evaluation is in flight
      return row;
    });
    const slow = counter.inRequest(clerk, () => permissions.access());
    await read;
    await invalidate(clerk.organizationId);
    release();
    const old = (await slow).result;
    const next = await counter.inRequest(clerk, () => permissions.access());
    expect(next.result.version).toBeGreaterThan(old.version);
    expect(next.statements).toBe(1); // the entry stored late, at the old version, was not used
    const again = await counter.inRequest(clerk, () => permissions.access());
    expect(again.statements).toBe(0);
  });

  it('stamps a bump past every earlier version, also after the database was set back', async () => {
    const org = users['clerk@acme.example'].organizationId!;
    const version = async () =>
      Number(
        (
          await sql<{ v: string }>(
            t.db.url,
            'SELECT permission_version AS v FROM organizations WHERE id = $1',
            [org],
          )
        )[0].v,
      );
    const restored = await version(); // what a backup taken now holds
    await invalidate(org);
    await invalidate(org);
    const latest = await version();
    expect(latest).toBeGreaterThan(restored);
    // The backup comes back: the next bump must not land on a version issued since.
    await sql(t.db.url, 'UPDATE organizations SET permission_version = $2 WHERE id = $1', [
      org,
      restored,
    ]);
    await invalidate(org);
    expect(await version()).toBeGreaterThan(latest);
    expect(Number.isSafeInteger(await version())).toBe(true);
  });

  it('stamps platform admins with a platform version that admin changes bump', async () => {
    const platform = users['admin@postroom.local'];
    const first = (await counter.inRequest(platform, () => permissions.access())).result;
    expect(first.organizationId).toBeNull();
    expect((await counter.inRequest(platform, () => permissions.access())).statements).toBe(0);
    await invalidate(null);
    const after = await counter.inRequest(platform, () => permissions.access());
    expect(after.statements).toBe(1);
    expect(after.result.version).toBeGreaterThan(first.version);
    // An organization's bump leaves platform admins' entries alone, and the other way round.
    await invalidate(users['clerk@acme.example'].organizationId);
    expect((await counter.inRequest(platform, () => permissions.access())).statements).toBe(0);
  });
});
