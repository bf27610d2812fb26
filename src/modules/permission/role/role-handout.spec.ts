import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorOf } from '../../../../test/support/api-error-of';
import type { HandedRole, Handout, HandoutGranter } from './role-handout';
import {
  checkRoleHandout,
  grantsAdded,
  handsOutAnything,
  renderRoleHandoutTable,
  ROLE_HANDOUT_RULES,
} from './role-handout';

// Folders: 10 Finance ⊃ 11 Invoices; 20 Legal; 30 HR.
const FINANCE = [10];
const INVOICES = [10, 11];
const HR = [30];

/** An admin-hub user who is not an organization admin: mail view/edit, the mail tab, Finance view. */
const hubUser: HandoutGranter = {
  userId: 5,
  isPlatformAdmin: false,
  isOrgAdmin: false,
  adminHub: true,
  actions: { mail: ['view', 'edit'], organization: ['view'] },
  tabs: ['mail'],
  folderGrants: [[10, 'view']],
};
const orgAdmin: HandoutGranter = {
  ...hubUser,
  userId: 1,
  isOrgAdmin: true,
  actions: {},
  tabs: [],
  folderGrants: [],
};
const platformAdmin: HandoutGranter = {
  ...orgAdmin,
  userId: 2,
  isOrgAdmin: false,
  isPlatformAdmin: true,
};

const role = (id: number, over: Partial<HandedRole> = {}): HandedRole => ({
  id,
  name: `Role ${id}`,
  adminHub: false,
  entityActions: [],
  tabs: [],
  folderGrants: [],
  ...over,
});
const administrators = role(1, { name: 'Administrators', adminHub: true });
const readers = role(7, {
  name: 'Invoice readers',
  entityActions: [['mail', 'view']],
  tabs: ['mail'],
  folderGrants: [{ folderId: 11, path: INVOICES, actions: ['view'] }],
});

const refusal = (granter: HandoutGranter, h: Handout) =>
  errorOf(() => checkRoleHandout(granter, h));

describe('role handout rules', () => {
  it('lets organization and platform admins hand out everything, without loading anything', () => {
    for (const rule of ROLE_HANDOUT_RULES) {
      expect(rule.who['platform admin']).toBe('yes');
      expect(rule.who['organization admin']).toBe('yes');
    }
    expect(handsOutAnything(orgAdmin)).toBe(true);
    expect(handsOutAnything(platformAdmin)).toBe(true);
    expect(handsOutAnything(hubUser)).toBe(false);
    const everything: Handout = {
      account: orgAdmin.userId,
      orgAdmin: true,
      rolesGiven: [administrators, readers],
      rolesTaken: [administrators],
      adminHubFlag: true,
      adminHubRole: administrators,
      grantsAdded: {
        entityActions: [['audit', 'delete']],
        tabs: ['audit'],
        folderGrants: [{ index: 0, folderId: 30, path: HR, actions: ['delete'] }],
      },
    };
    expect(() => checkRoleHandout(orgAdmin, everything)).not.toThrow();
    expect(() => checkRoleHandout(platformAdmin, everything)).not.toThrow();
  });

  it('keeps what opens the admin hub to admins: given, taken, changed, or the flag', () => {
    expect(refusal(hubUser, { rolesGiven: [administrators] })).toEqual({
      statusCode: 403,
      code: 'ROLE_GRANT_ADMIN_HUB',
      parameter: 'roleIds',
      message:
        'roleIds: giving role 1 (Administrators), which opens the admin hub: only platform admins and organization admins may do this',
    });
    expect(refusal(hubUser, { rolesTaken: [administrators] }).message).toMatch(
      /^roleIds: taking role 1 \(Administrators\)/,
    );
    expect(refusal(hubUser, { adminHubFlag: true })).toMatchObject({
      code: 'ROLE_GRANT_ADMIN_HUB',
      parameter: 'adminHub',
    });
    expect(refusal(hubUser, { adminHubRole: { id: 1, name: 'Administrators' } })).toMatchObject({
      code: 'ROLE_GRANT_ADMIN_HUB',
      parameter: 'id',
    });
    // Ordinary roles taken away are no handout.
    expect(() =>
      checkRoleHandout(hubUser, { rolesTaken: [role(9, { tabs: ['audit'] })] }),
    ).not.toThrow();
  });

  it('keeps organization admin rights to admins', () => {
    const e = refusal(hubUser, { orgAdmin: true });
    expect(e).toMatchObject({ code: 'ROLE_GRANT_ORG_ADMIN', parameter: 'isOrgAdmin' });
    expect(e.message).toMatch(/^isOrgAdmin: /);
    expect(() => checkRoleHandout(hubUser, { orgAdmin: false })).not.toThrow();
  });

  it('refuses a change to one’s own roles, even within one’s own grants; the same set passes', () => {
    const own = role(8, { entityActions: [['mail', 'view']] });
    expect(refusal(hubUser, { account: hubUser.userId, rolesGiven: [own] })).toMatchObject({
      code: 'ROLE_GRANT_SELF',
      parameter: 'roleIds',
    });
    expect(refusal(hubUser, { account: hubUser.userId, rolesTaken: [own] }).code).toBe(
      'ROLE_GRANT_SELF',
    );
    expect(() =>
      checkRoleHandout(hubUser, { account: hubUser.userId, rolesGiven: [], rolesTaken: [] }),
    ).not.toThrow();
    // Someone else gets the same role: within the granter's own, so it passes.
    expect(() => checkRoleHandout(hubUser, { account: 99, rolesGiven: [own] })).not.toThrow();
  });

  it('checks in table order: the admin hub before the self rule', () => {
    const e = refusal(hubUser, { account: hubUser.userId, rolesGiven: [administrators] });
    expect(e.code).toBe('ROLE_GRANT_ADMIN_HUB');
  });

  it('lets an admin-hub user give a role only within his own grants; grants flow down folders', () => {
    // Finance view covers Invoices.
    expect(() => checkRoleHandout(hubUser, { rolesGiven: [readers] })).not.toThrow();
    const hr = role(12, {
      name: 'HR readers',
      entityActions: [
        ['mail', 'view'],
        ['mail', 'delete'],
      ],
      tabs: ['mail', 'audit'],
      folderGrants: [
        { folderId: 30, path: HR, actions: ['view'] },
        { folderId: 11, path: INVOICES, actions: ['view', 'edit'] },
      ],
    });
    expect(refusal(hubUser, { rolesGiven: [readers, hr] })).toEqual({
      statusCode: 403,
      code: 'ROLE_GRANT_EXCEEDS_OWN',
      parameter: 'roleIds',
      message:
        'roleIds: giving role 12 (HR readers), which grants mail delete, tab audit, view on folder 30, edit on folder 11: you do not hold that yourself, and admin-hub users hand out only what they hold',
    });
    // A grant on a subfolder does not cover its parent.
    const narrow: HandoutGranter = { ...hubUser, folderGrants: [[11, 'view']] };
    const finance = role(13, {
      folderGrants: [{ folderId: 10, path: FINANCE, actions: ['view'] }],
    });
    expect(refusal(narrow, { rolesGiven: [finance] }).code).toBe('ROLE_GRANT_EXCEEDS_OWN');
  });

  it('names the field of grants added to a role beyond the granter’s own', () => {
    const added = (over: Partial<NonNullable<Handout['grantsAdded']>>): Handout => ({
      grantsAdded: { entityActions: [], tabs: [], folderGrants: [], ...over },
    });
    expect(
      refusal(
        hubUser,
        added({
          entityActions: [
            ['mail', 'view'],
            ['mail', 'assign'],
          ],
        }),
      ),
    ).toMatchObject({
      code: 'ROLE_GRANT_EXCEEDS_OWN',
      parameter: 'entityActions.mail',
      message: expect.stringMatching(/^entityActions\.mail: granting mail assign: /) as unknown,
    });
    expect(refusal(hubUser, added({ tabs: ['mail', 'audit'] }))).toMatchObject({
      parameter: 'tabs',
      message: expect.stringMatching(/^tabs: granting tab audit: /) as unknown,
    });
    const folders = added({
      folderGrants: [
        { index: 0, folderId: 11, path: INVOICES, actions: ['view'] },
        { index: 1, folderId: 30, path: HR, actions: ['view'] },
      ],
    });
    expect(refusal(hubUser, folders)).toMatchObject({
      parameter: 'folderGrants.1.actions',
      message: expect.stringContaining('view on folder 30') as unknown,
    });
    expect(() =>
      checkRoleHandout(
        hubUser,
        added({
          entityActions: [['mail', 'edit']],
          tabs: ['mail'],
          folderGrants: [{ index: 0, folderId: 11, path: INVOICES, actions: ['view'] }],
        }),
      ),
    ).not.toThrow();
  });

  it('counts as added only what the role did not hold before', () => {
    const a = grantsAdded(
      {
        entityActions: [
          ['audit', 'view'],
          ['mail', 'view'],
        ],
        tabs: ['audit', 'mail'],
        folderGrants: [
          { folderId: 30, path: HR, actions: ['view', 'edit'] },
          { folderId: 11, path: INVOICES, actions: ['view'] },
        ],
      },
      { entityActions: [['audit', 'view']], tabs: ['audit'], folderGrants: [[30, 'view']] },
    );
    expect(a).toEqual({
      entityActions: [['mail', 'view']],
      tabs: ['mail'],
      folderGrants: [
        { index: 0, folderId: 30, path: HR, actions: ['edit'] },
        { index: 1, folderId: 11, path: INVOICES, actions: ['view'] },
      ],
    });
    // Keeping a grant the granter lacks (an admin put it there) is no handout…
    const kept = grantsAdded(
      { folderGrants: [{ folderId: 30, path: HR, actions: ['view'] }] },
      { entityActions: [], tabs: [], folderGrants: [[30, 'view']] },
    );
    expect(() => checkRoleHandout(hubUser, { grantsAdded: kept })).not.toThrow();
    // …but the folderGrants index still points at the entry that adds one.
    expect(refusal(hubUser, { grantsAdded: a }).parameter).toBe('folderGrants.0.actions');
  });

  it('renders the table for the README, one row per rule', () => {
    const lines = renderRoleHandoutTable().split('\n');
    expect(lines).toHaveLength(ROLE_HANDOUT_RULES.length + 2);
    expect(lines[0]).toMatch(/^\| what is handed out +\| fields +\| platform admins +\|/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1); // aligned columns
    ROLE_HANDOUT_RULES.forEach((r, i) => {
      expect(lines[i + 2]).toContain(`403 \`${r.code}\``);
      expect(lines[i + 2]).toContain(r.what);
    });
    expect(new Set(ROLE_HANDOUT_RULES.map((r) => r.code)).size).toBe(ROLE_HANDOUT_RULES.length);
  });

  it('is shown in the README, under Permissions › Role handout, exactly as rendered', () => {
    const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
    const section = /\n## Permissions\n[\s\S]*?\n### Role handout\n([\s\S]*?)(?=\n#{1,3} |$)/.exec(
      readme,
    );
    expect(section).not.toBeNull();
    const tableLines = (section?.[1] ?? '').split('\n').filter((l) => l.startsWith('|'));
    expect(tableLines.join('\n')).toBe(renderRoleHandoutTable());
  });
});
