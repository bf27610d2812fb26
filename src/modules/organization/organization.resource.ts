import { defineResource, grant, PLATFORM_ADMIN } from '../permission/resource';
import { organizationGrid } from './organization.grid';

/** Every member sees his own organization; only platform admins manage them. */
export const organizationResource = defineResource({
  grid: organizationGrid,
  noun: 'Organization',
  tab: 'organization',
  policy: {
    read: grant('organization', 'view'),
    create: PLATFORM_ADMIN,
    edit: PLATFORM_ADMIN,
    delete: PLATFORM_ADMIN,
  },
  rows: { tenant: 'o.id' },
});
