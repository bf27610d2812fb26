import { ADMIN_HUB, defineResource } from '../resource';
import { roleGrid } from './role.grid';

/** Roles are the admin hub's: no tab of their own, no grant opens them. */
export const roleResource = defineResource({
  grid: roleGrid,
  noun: 'Role',
  policy: {
    read: ADMIN_HUB,
    create: ADMIN_HUB,
    edit: ADMIN_HUB,
    grants: ADMIN_HUB,
    delete: ADMIN_HUB,
  },
  rows: { tenant: 'r.organization_id' },
  // The item carries the role's grants and members: served by the role module.
  item: false,
});
