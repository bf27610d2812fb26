import {
  folderPath,
  planDocumentTypes,
  planFolders,
  planOrganizations,
  planRoles,
  planUsers,
  shareBounds,
  specialUsers,
  volumeCounts,
} from './large-seed-plan';

describe('large seed plan', () => {
  const orgs = planOrganizations();

  it('skews organizations Zipf-like: one holds about a third, many hold little', () => {
    const shares = orgs.map((o) => o.share);
    expect(orgs.length).toBeGreaterThanOrEqual(20);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(shares[0]).toBeGreaterThan(0.3);
    expect(shares[0]).toBeLessThan(0.4);
    expect(shares.filter((s) => s < 0.02).length).toBeGreaterThan(orgs.length / 2);
    const bounds = shareBounds(orgs);
    expect(bounds[0]).toBe(0);
    expect(bounds.every((b, i) => i === 0 || b > bounds[i - 1])).toBe(true);
  });

  it('plans 1,000+ folders in trees of depth up to 3 with Inbox and Archive in each organization', () => {
    const folders = planFolders(orgs, 2025);
    expect(folders.length).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...folders.map((f) => f.depth))).toBe(3);
    for (const o of orgs) {
      const keys = folders.filter((f) => f.org === o.rank && f.systemKey).map((f) => f.systemKey);
      expect(keys).toEqual(['inbox', 'archive']);
    }
    const siblings = new Set(folders.map((f) => `${f.org}/${f.parent}/${f.name}`));
    expect(siblings.size).toBe(folders.length);
    folders.forEach((f, i) => {
      const path = folderPath(folders, i);
      expect(path.length).toBe(f.depth + 1);
      expect(path.at(-1)).toBe(i);
      if (f.parent !== null) expect(folders[f.parent].org).toBe(f.org);
    });
    expect(folders.filter((f) => f.name === '2025').length).toBeGreaterThan(0);
  });

  it('plans 30+ document types, several per organization', () => {
    const types = planDocumentTypes(orgs);
    expect(types.length).toBeGreaterThanOrEqual(30);
    for (const o of orgs) expect(types.filter((t) => t.org === o.rank).length).toBeGreaterThan(3);
  });

  it('plans hundreds of users with unique emails, and the special users in the biggest organization', () => {
    const users = planUsers(orgs);
    expect(users.length).toBeGreaterThanOrEqual(300);
    expect(new Set(users.map((u) => u.email)).size).toBe(users.length);
    const special = specialUsers('admin@postroom.local');
    const find = (email: string) => users.find((u) => u.email === email);
    expect(find(special.orgAdmin)).toMatchObject({ org: 1, kind: 'admin' });
    expect(find(special.inboxUser)).toMatchObject({ org: 1, kind: 'clerk', active: true });
    expect(find(special.folderScopedUser)).toMatchObject({
      org: 1,
      kind: 'reader',
      readerOf: [0, 1],
    });
    for (const o of orgs) {
      const kinds = new Set(users.filter((u) => u.org === o.rank).map((u) => u.kind));
      expect(kinds).toContain('admin');
      expect(kinds).toContain('clerk');
      expect(kinds).toContain('reader');
    }
  });

  it('gives every user a role of their own organization', () => {
    const users = planUsers(orgs);
    const roles = planRoles(orgs, users);
    const member = new Set<number>();
    for (const r of roles) {
      for (const m of r.members) {
        expect(users[m].org).toBe(r.org);
        member.add(m);
      }
      expect(new Set(r.departments).size).toBe(r.departments.length);
    }
    expect(member.size).toBe(users.length);
    const names = roles.map((r) => `${r.org}/${r.name}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it('scales the bulk counts and refuses a nonsense scale', () => {
    expect(volumeCounts(1)).toEqual({ documents: 1_000_000, mails: 300_000, batches: 2_000 });
    expect(volumeCounts(0.001)).toEqual({ documents: 1_000, mails: 300, batches: 2 });
    expect(() => volumeCounts(0)).toThrow(RangeError);
  });
});
