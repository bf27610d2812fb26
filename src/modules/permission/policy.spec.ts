import { auditResource } from '../audit/audit.resource';
import { documentResource } from '../document/document.resource';
import { mailResource } from '../mail/mail.resource';
import type { UserAccess } from './permission.types';
import { readScopeSets } from './policy';

function access(over: Partial<UserAccess>): UserAccess {
  return {
    userId: 7,
    email: 'u@x.example',
    displayName: 'U',
    organizationId: 3,
    organizationName: 'X',
    isPlatformAdmin: false,
    isOrgAdmin: false,
    active: true,
    version: 1,
    credentialVersion: 1,
    roles: [],
    adminHub: false,
    actions: { document: ['view'] },
    tabs: ['document'],
    viewFolderIds: [11, 12],
    folderGrants: [[11, 'view']],
    ...over,
  };
}

describe('readScopeSets (the read scope as tenant and folder sets)', () => {
  it('states a folder-scoped reader by organization and visible folders', () => {
    expect(readScopeSets(documentResource, access({}))).toEqual([
      { sql: 'd.organization_id', values: [3] },
      { sql: 'd.folder_id', values: [11, 12] },
    ]);
  });

  it('states an organization admin (every folder) by organization only', () => {
    expect(readScopeSets(documentResource, access({ viewFolderIds: null }))).toEqual([
      { sql: 'd.organization_id', values: [3] },
    ]);
  });

  it('states a platform admin as every row, and no organization as none', () => {
    expect(readScopeSets(documentResource, access({ isPlatformAdmin: true }))).toEqual([]);
    expect(readScopeSets(documentResource, access({ organizationId: null }))).toEqual([
      { sql: 'd.organization_id', values: [] },
      { sql: 'd.folder_id', values: [11, 12] },
    ]);
  });

  it('gives no sets where the rule is more than that (assignees, entity types)', () => {
    expect(readScopeSets(mailResource, access({}))).toBeUndefined();
    expect(readScopeSets(auditResource, access({}))).toBeUndefined();
  });
});
