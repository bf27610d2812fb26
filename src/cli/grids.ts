import type { GridDefinition } from '../core/grid/grid.types';
import { auditGrid } from '../modules/audit/audit.grid';
import { batchGrid } from '../modules/batch/batch.grid';
import { documentTypeGrid } from '../modules/document-type/document-type.grid';
import { documentGrid } from '../modules/document/document.grid';
import { folderGrid } from '../modules/folder/folder.grid';
import { inboxGrid } from '../modules/mail/inbox.grid';
import { mailGrid } from '../modules/mail/mail.grid';
import { organizationGrid } from '../modules/organization/organization.grid';
import { roleGrid } from '../modules/permission/role/role.grid';
import { userGrid } from '../modules/user/user.grid';

/**
 * Every module's grid definition, for tools that go over all grids (`npm run
 * explain`). Core must not import modules, so the list lives here. Add yours.
 */
export const GRID_DEFINITIONS: readonly GridDefinition[] = [
  organizationGrid,
  userGrid,
  roleGrid,
  folderGrid,
  documentTypeGrid,
  documentGrid,
  mailGrid,
  inboxGrid,
  batchGrid,
  auditGrid,
];
