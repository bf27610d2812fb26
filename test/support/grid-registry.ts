import type { GridUnderTest } from './grid-under-test';
import { organizations, roles, users } from './grids/admin';
import { audit } from './grids/audit';
import { documentTypes, folders } from './grids/content';
import { documents } from './grids/documents';
import { batches, inbox, mails } from './grids/mailroom';

export type { Credentials, GridUnderTest } from './grid-under-test';
export { ORG_ADMINS, PLATFORM_ADMIN, demoUser } from './grid-under-test';

/**
 * Every module grid the conformance suite (test/e2e/grid-conformance.e2e-spec.ts)
 * checks against its own definition: order, every operator of every filterable
 * column, every sort, cursor paging under concurrent inserts, offsets, errors,
 * injection attempts, value discovery, counts and tenant isolation.
 *
 * To add a grid: write its entry (test/support/grids/, GridUnderTest in
 * grid-under-test.ts) and list it here. `url`, `definition`, `table` and
 * `insertCopy` are required; the rest has defaults that fit an organization-
 * scoped grid over the demo seed (seedDemo: organizations acme and globex).
 * A grid that legitimately differs says so in its entry, never by weakening
 * the suite's checks.
 */
export const GRIDS: GridUnderTest[] = [
  documents,
  organizations,
  users,
  roles,
  folders,
  documentTypes,
  mails,
  inbox,
  batches,
  audit,
];
