import request from 'supertest';
import { Db } from '../../src/core/database/db.service';
import { MailRepository } from '../../src/modules/mail/mail.repository';
import { mailResource } from '../../src/modules/mail/mail.resource';
import { PolicyEvaluator } from '../../src/modules/permission/policy-evaluator.service';
import { insertRole, insertUser } from '../../src/seed/seed-sql';
import type { Headers } from '../support/grid-json';
import { getJson, ids, pageAll } from '../support/grid-json';
import { login, seedDemo, sql } from '../support/fixtures';
import { withDirectClient } from '../../src/seed/seed-runner';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

/**
 * Who a mail may be given to: the assignee reads it by his own rights (mail
 * view, and view in its folder), never merely because it would be his; and
 * GET /mails/:id/assignees lists exactly those users. The demo seed's finance
 * reader has no mail view.
 */
describe('mail assignees', () => {
  let t: TestApp;
  let admin: Headers;
  let clerk: Headers;
  let financeAssigner: Headers;
  let financeReader: Headers;
  let globexAdmin: Headers;

  const user: Record<string, number> = {};
  const mail: Record<string, number> = {};
  let acme: number;

  const q = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
    sql<T>(t.db.url, text, params);
  const one = async (text: string, params: unknown[] = []) =>
    Number(Object.values((await q(text, params))[0])[0]);

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    // More readers, made before anyone signs in (no cached access to outdate).
    await withDirectClient(t.db.url, async (c) => {
      const first = async (text: string, params: unknown[]) =>
        Number(Object.values((await c.query(text, params))[0])[0]);
      acme = await first('SELECT id FROM organizations WHERE slug = $1', ['acme']);
      const folder = async (name: string) =>
        first('SELECT id FROM folders WHERE organization_id = $1 AND name = $2', [acme, name]);
      const f = {
        inbox: await folder('Inbox'),
        finance: await folder('Finance'),
        invoices: await folder('Invoices'),
        hr: await folder('HR'),
      };
      const hash = String(
        (
          await c.query<{ h: string }>('SELECT password_hash AS h FROM users WHERE email = $1', [
            'clerk@acme.example',
          ])
        )[0].h,
      );
      for (const email of ['admin', 'clerk', 'finance']) {
        user[email] = await first('SELECT id FROM users WHERE email = $1', [
          `${email}@acme.example`,
        ]);
      }
      user.globexClerk = await first('SELECT id FROM users WHERE email = $1', [
        'clerk@globex.example',
      ]);
      const extra = async (
        key: string,
        entityActions: Record<string, string[]>,
        folderGrants: { folderId: number; actions: string[] }[],
      ) => {
        user[key] = await insertUser(c, {
          organizationId: acme,
          email: `${key}@acme.example`,
          displayName: `Acme ${key}`,
          passwordHash: hash,
        });
        await insertRole(c, {
          organizationId: acme,
          name: `Role of ${key}`,
          entityActions,
          tabs: ['mail'],
          folderGrants,
          members: [user[key]],
        });
      };
      // The finding's assigner: mail view/edit/assign, only a view grant on Finance.
      await extra('financeassigner', { mail: ['view', 'edit', 'assign'] }, [
        { folderId: f.finance, actions: ['view'] },
      ]);
      await extra('hrmail', { mail: ['view'] }, [{ folderId: f.hr, actions: ['view'] }]);
      await extra('invoicesmail', { mail: ['view'] }, [
        { folderId: f.invoices, actions: ['view'] },
      ]);
      await extra('mailonly', { mail: ['view'] }, []);
      // Grants on HR, but no mail view.
      await extra('hrdocs', { document: ['view'] }, [{ folderId: f.hr, actions: ['view'] }]);
      await extra('inactive', { mail: ['view'] }, []);
      await c.query('UPDATE users SET is_active = false WHERE id = $1', [user.inactive]);
      const insertMail = async (key: string, folderId: number | null, assignee?: number) => {
        mail[key] = await first(
          `INSERT INTO mails (organization_id, folder_id, subject, sender, received_on, status, assigned_to, assigned_by, assigned_on)
           VALUES ($1, $2, $3, 'assignees@sender.example', now(), $4, $5, $6, CASE WHEN $5::bigint IS NULL THEN NULL ELSE now() END)
           RETURNING id`,
          [
            acme,
            folderId,
            `Assignees ${key}`,
            assignee === undefined ? 'new' : 'assigned',
            assignee ?? null,
            assignee === undefined ? null : user.admin,
          ],
        );
      };
      await insertMail('unfiled', null);
      await insertMail('inbox', f.inbox);
      await insertMail('finance', f.finance);
      await insertMail('finance2', f.finance);
      await insertMail('invoices', f.invoices);
      await insertMail('hr', f.hr);
      // Assigned to the clerk, who may not read HR by his own rights.
      await insertMail('hrClerk', f.hr, user.clerk);
    });
    admin = await login(t.server, 'admin@acme.example');
    clerk = await login(t.server, 'clerk@acme.example');
    financeAssigner = await login(t.server, 'financeassigner@acme.example');
    financeReader = await login(t.server, 'finance@acme.example');
    globexAdmin = await login(t.server, 'admin@globex.example');
  }, 60_000);
  afterAll(async () => t?.close());

  const assign = (h: Headers, mailId: number, userId: number, status = 200) =>
    request(t.server).post(`/api/mails/${mailId}/assign`).send({ userId }).set(h).expect(status);
  const assignees = (h: Headers, mailId: number, query: Record<string, string | number> = {}) =>
    pageAll(t.server, `/api/mails/${mailId}/assignees`, h, query, 500).then(ids);
  const versionOf = (mailId: number) => one('SELECT version FROM mails WHERE id = $1', [mailId]);
  const auditCount = (mailId: number) =>
    one(
      "SELECT count(*) FROM audit_log WHERE entity_type = 'mail' AND entity_id = $1 AND action = 'assign'",
      [mailId],
    );

  describe('assigning', () => {
    it('refuses an assignee who may not read the mail (422 naming userId) and writes nothing', async () => {
      const before = await versionOf(mail.finance);
      const res = await assign(admin, mail.finance, user.finance, 422);
      expect(res.body).toEqual({
        statusCode: 422,
        code: 'MAIL_ASSIGNEE_CANNOT_READ',
        message: `userId: user ${user.finance} may not read this mail`,
        parameter: 'userId',
      });
      expect(await versionOf(mail.finance)).toBe(before);
      expect(await auditCount(mail.finance)).toBe(0);
      const [row] = await q<{ assigned_to: number | null; status: string }>(
        'SELECT assigned_to, status FROM mails WHERE id = $1',
        [mail.finance],
      );
      expect(row).toEqual({ assigned_to: null, status: 'new' });
    });

    it('needs mail view and the folder: a folder grant alone or mail view alone is not enough', async () => {
      await assign(admin, mail.hr, user.hrdocs, 422);
      await assign(admin, mail.hr, user.mailonly, 422);
      await assign(admin, mail.finance, user.invoicesmail, 422);
    });

    it('does not count being the assignee as a right to read', async () => {
      const res = await assign(admin, mail.hrClerk, user.clerk, 422);
      expect(res.body.code).toBe('MAIL_ASSIGNEE_CANNOT_READ');
    });

    it('checks membership first (400 VALIDATION_ASSIGNEE)', async () => {
      const foreign = await assign(admin, mail.finance, user.globexClerk, 400);
      expect(foreign.body.code).toBe('VALIDATION_ASSIGNEE');
      const inactive = await assign(admin, mail.finance, user.inactive, 400);
      expect(inactive.body.code).toBe('VALIDATION_ASSIGNEE');
    });

    it('assigns to someone who reads the mail by his own rights', async () => {
      const before = await versionOf(mail.finance2);
      const res = await assign(admin, mail.finance2, user.clerk);
      expect(res.body).toMatchObject({ assignedTo: user.clerk, status: 'assigned' });
      expect(await versionOf(mail.finance2)).toBe(before + 1);
      expect(await auditCount(mail.finance2)).toBe(1);
      await assign(admin, mail.invoices, user.invoicesmail);
    });
  });

  describe('GET /mails/:id/assignees', () => {
    it('lists the readers of a mail the clerk may assign: himself and the admin, not the finance reader', async () => {
      const found = await assignees(clerk, mail.unfiled);
      expect(found).toEqual(expect.arrayContaining([user.clerk, user.admin]));
      expect(found).not.toContain(user.finance);
      expect(found).not.toContain(user.inactive);
      expect(found).not.toContain(user.hrdocs);
      const inbox = await assignees(clerk, mail.inbox);
      expect(inbox).toEqual(expect.arrayContaining([user.clerk, user.admin, user.mailonly]));
      expect(inbox).not.toContain(user.finance);
    });

    it('narrows by search and pages by cursor, in the users grid order', async () => {
      const searched = await getJson(t.server, `/api/mails/${mail.unfiled}/assignees`, clerk, {
        search: 'clerk',
      });
      expect(ids(searched.data as Record<string, unknown>[])).toEqual([user.clerk]);
      const whole = ids(
        (
          await getJson(t.server, `/api/mails/${mail.unfiled}/assignees`, clerk, {
            limit: 500,
          })
        ).data as Record<string, unknown>[],
      );
      expect(whole.length).toBeGreaterThan(2);
      const first = await getJson(t.server, `/api/mails/${mail.unfiled}/assignees`, clerk, {
        limit: 1,
      });
      expect(first.data as unknown[]).toHaveLength(1);
      expect(first.page).toMatchObject({ hasMore: true, nextCursor: expect.any(String) });
      // Two rows a page, cursor after cursor: the same rows in the same order.
      const paged = await pageAll(t.server, `/api/mails/${mail.unfiled}/assignees`, clerk, {}, 2);
      expect(ids(paged)).toEqual(whole);
    });

    it('refuses who may not assign the mail: 403 visible, 404 invisible, 403 without mail:assign', async () => {
      // The clerk views Finance but has no assign grant there.
      await getJson(t.server, `/api/mails/${mail.finance}/assignees`, clerk, {}, 403);
      // ... nor does the finding's assigner (view only on Finance).
      await getJson(t.server, `/api/mails/${mail.finance}/assignees`, financeAssigner, {}, 403);
      // The clerk does not see HR mail that is not his.
      await getJson(t.server, `/api/mails/${mail.hr}/assignees`, clerk, {}, 404);
      await getJson(t.server, `/api/mails/${mail.unfiled}/assignees`, financeReader, {}, 403);
      await getJson(t.server, `/api/mails/${mail.unfiled}/assignees`, globexAdmin, {}, 404);
      await getJson(t.server, '/api/mails/99999999/assignees', admin, {}, 404);
    });

    it('documents the route in OpenAPI', async () => {
      const doc = (await request(t.server).get('/docs-json').expect(200)).body as {
        paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
      };
      const get = doc.paths['/api/mails/{id}/assignees']?.get;
      expect(get).toBeDefined();
      expect((get?.parameters ?? []).map((p) => p.name)).toEqual(
        expect.arrayContaining(['id', 'search', 'limit', 'cursor']),
      );
    });

    it('agrees with the assignment check for every user of the organization and every kind of mail', async () => {
      const evaluator = t.app.get(PolicyEvaluator);
      const repo = t.app.get(MailRepository);
      const db = t.app.get(Db);
      const members = (
        await q<{ id: number }>('SELECT id FROM users WHERE organization_id = $1 ORDER BY id', [
          acme,
        ])
      ).map((r) => Number(r.id));
      const platform = await one('SELECT id FROM users WHERE is_platform_admin LIMIT 1');
      const disagreements: string[] = [];
      for (const key of ['unfiled', 'inbox', 'finance', 'invoices', 'hr', 'hrClerk']) {
        const listed = new Set(await assignees(admin, mail[key]));
        for (const userId of [...members, platform]) {
          // The rule of POST /mails/:id/assign: an active member who reads it by his own rights.
          let mayRead = await repo.isActiveMember(db, userId, acme);
          if (mayRead) {
            const scope = await evaluator.ownReadScope(mailResource, userId, acme);
            mayRead = scope !== undefined && (await repo.inScope(db, mail[key], scope));
          }
          if (mayRead !== listed.has(userId)) {
            disagreements.push(`${key} × user ${userId}: may read ${mayRead}, listed ${!mayRead}`);
          }
        }
        // Each mail has readers and users who may not read it: both answers are compared.
        expect(listed.size).toBeGreaterThan(0);
        expect(listed.size).toBeLessThan(members.length);
      }
      expect(disagreements).toEqual([]);
    });
  });
});
