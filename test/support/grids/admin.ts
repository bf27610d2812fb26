import { organizationGrid } from '../../../src/modules/organization/organization.grid';
import { roleGrid } from '../../../src/modules/permission/role/role.grid';
import { userGrid } from '../../../src/modules/user/user.grid';
import { sql } from '../fixtures';
import type { GridUnderTest } from '../grid-under-test';
import { SUFFIX_SQL, insertedId } from '../grid-under-test';

/** Rows spread over the two demo organizations: g odd → acme, even → globex. */
const DEMO_ORG_OF_G = `JOIN organizations o ON o.slug = (ARRAY['globex', 'acme'])[1 + g % 2]`;

/**
 * The tenant is the row itself: the organization column is the id (an integer,
 * not a reference), so a member's grid holds exactly one row, their own.
 */
export const organizations: GridUnderTest = {
  url: '/api/organizations',
  definition: organizationGrid,
  table: 'organizations',
  // Slugs are unique: the copy keeps the name (the default sort) and gets a new slug.
  insertCopy: (url, id) =>
    insertedId(
      url,
      `INSERT INTO organizations (name, slug, is_active, created_on, updated_on)
       SELECT name, left(slug, 50) || '-' || ${SUFFIX_SQL}, is_active, created_on, updated_on
       FROM organizations WHERE id = $1 RETURNING id`,
      [id],
    ),
  // The seed has two organizations: twenty more, some inactive, names shared
  // (ties for the id to break), with LIKE wildcards, one long.
  arrange: async (url) => {
    await sql(
      url,
      `INSERT INTO organizations (name, slug, is_active, created_on, updated_on)
       SELECT CASE g WHEN 1 THEN 'Scan 100% done_ok' WHEN 2 THEN repeat('Long name ', 19) || 'end'
                     ELSE (ARRAY['Initech', 'Umbrella Corp', 'Hooli', 'Stark Industries', 'Wayne Enterprises'])[1 + g % 5] END,
              'tenant-' || g, g % 4 <> 0, now() - g * interval '9 days', now() - g * interval '2 days'
       FROM generate_series(1, 20) AS g`,
    );
  },
};

/** Platform administrators (no organization) are rows of the platform admin's grid only. */
export const users: GridUnderTest = {
  url: '/api/users',
  definition: userGrid,
  table: 'users',
  // Emails are unique: the copy keeps the display name (the default sort).
  insertCopy: (url, id) =>
    insertedId(
      url,
      `INSERT INTO users (organization_id, email, display_name, password_hash, is_platform_admin,
                          is_org_admin, is_active, last_login_on, created_on, updated_on)
       SELECT organization_id, 'copy-' || ${SUFFIX_SQL} || '-' || email, display_name, password_hash,
              is_platform_admin, is_org_admin, is_active, last_login_on, created_on, updated_on
       FROM users WHERE id = $1 RETURNING id`,
      [id],
    ),
  // Sixteen more users: in both organizations and none (platform admins),
  // inactive ones, org admins, some who signed in (last_login_on), shared names.
  arrange: async (url) => {
    await sql(
      url,
      `INSERT INTO users (organization_id, email, display_name, password_hash, is_platform_admin,
                          is_org_admin, is_active, last_login_on, created_on, updated_on)
       SELECT CASE WHEN g % 7 = 0 THEN NULL ELSE o.id END, 'user' || g || '@' || o.slug || '.test',
              CASE g WHEN 1 THEN 'Scan 100% done_ok' WHEN 2 THEN repeat('Long name ', 19) || 'end'
                     ELSE (ARRAY['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra'])[1 + g % 4] END,
              (SELECT password_hash FROM users ORDER BY id LIMIT 1),
              g % 7 = 0, g % 5 = 0 AND g % 7 <> 0, g % 6 <> 0,
              CASE WHEN g % 3 = 0 THEN now() - g * interval '13 hours' END,
              now() - g * interval '4 days', now() - g * interval '1 day'
       FROM generate_series(1, 16) AS g ${DEMO_ORG_OF_G}`,
    );
  },
};

export const roles: GridUnderTest = {
  url: '/api/roles',
  definition: roleGrid,
  table: 'roles',
  // Names are unique per organization (at most 100 characters): the copy's name
  // starts like the original's, so it sorts next to it.
  insertCopy: (url, id) =>
    insertedId(
      url,
      `INSERT INTO roles (organization_id, name, description, admin_hub, created_on, updated_on)
       SELECT organization_id, left(name, 80) || ' copy ' || ${SUFFIX_SQL}, description, admin_hub,
              created_on, updated_on
       FROM roles WHERE id = $1 RETURNING id`,
      [id],
    ),
  // Sixteen more roles, eight names in each organization (the same names in
  // both: ties), empty and filled descriptions, admin-hub ones, a few members.
  arrange: async (url) => {
    await sql(
      url,
      `INSERT INTO roles (organization_id, name, description, admin_hub, created_on, updated_on)
       SELECT o.id,
              (ARRAY['Reviewers', 'Auditors', 'Scanner operators', 'Archivists', 'Scan 100% done_ok',
                     repeat('Long name ', 9) || 'end', 'Approvers', 'Readers'])[1 + (g / 2) % 8],
              CASE WHEN g % 3 = 0 THEN '' ELSE 'Role number ' || g END,
              g % 4 = 0, now() - g * interval '5 days', now() - g * interval '1 day'
       FROM generate_series(1, 16) AS g ${DEMO_ORG_OF_G}`,
    );
    await sql(
      url,
      `INSERT INTO user_roles (organization_id, user_id, role_id)
       SELECT r.organization_id, u.id, r.id FROM roles r JOIN users u ON u.organization_id = r.organization_id
       WHERE r.name IN ('Reviewers', 'Auditors') AND u.email NOT LIKE 'admin@%'`,
    );
  },
};
