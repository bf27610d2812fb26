import { auditResource } from '../audit/audit.resource';
import { batchResource } from '../batch/batch.resource';
import { documentTypeResource } from '../document-type/document-type.resource';
import { documentResource } from '../document/document.resource';
import { folderResource } from '../folder/folder.resource';
import { inboxResource, mailResource } from '../mail/mail.resource';
import { organizationResource } from '../organization/organization.resource';
import type { Resource } from '../permission/resource';
import { roleResource } from '../permission/role/role.resource';
import { userResource } from '../user/user.resource';

/**
 * Every declared resource: their grid routes are generated from this list, and
 * `npm run explain`, the OpenAPI document, the conformance suite and the
 * permission matrix go over it. Adding a grid module is adding its declaration here.
 */
export const RESOURCES: readonly Resource[] = [
  organizationResource,
  userResource,
  roleResource,
  folderResource,
  documentTypeResource,
  documentResource,
  mailResource,
  inboxResource,
  batchResource,
  auditResource,
];
