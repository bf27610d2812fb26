import { ADMIN_HUB, defineResource, grant } from '../permission/resource';
import { userGrid } from './user.grid';

/** Users of one's organization: read with a grant or the admin hub; managed through the hub. */
export const userResource = defineResource({
  grid: userGrid,
  noun: 'User',
  tab: 'user',
  policy: {
    read: grant('user', 'view'),
    create: ADMIN_HUB,
    edit: ADMIN_HUB,
    roles: ADMIN_HUB,
    delete: ADMIN_HUB,
  },
  rows: { tenant: 'u.organization_id' },
  // The item carries the user's role memberships: served by the user module.
  item: false,
});
