import { sql } from './fixtures';

/**
 * Ids of the documents a user may see, worked out independently of the code
 * under test: folders walked by parent_id (not folders.path), grants read
 * straight from the role tables. Admins of an organization see all of it.
 */
export async function visibleDocumentIds(url: string, email: string): Promise<number[]> {
  const rows = await sql<{ id: number }>(
    url,
    `WITH RECURSIVE me AS (
       SELECT id, organization_id, is_org_admin OR is_platform_admin AS admin FROM users WHERE email = $1
     ), granted AS (
       SELECT p.folder_id FROM role_folder_permissions p
       JOIN user_roles ur ON ur.role_id = p.role_id JOIN me ON me.id = ur.user_id
       WHERE p.action = 'view'
     ), tree AS (
       SELECT f.id FROM folders f JOIN me ON f.organization_id = me.organization_id
       WHERE f.id IN (SELECT folder_id FROM granted) OR f.system_key IS NOT NULL
       UNION
       SELECT c.id FROM folders c JOIN tree ON c.parent_id = tree.id
     )
     SELECT d.id FROM documents d, me
     WHERE (me.organization_id IS NULL AND me.admin)
        OR (d.organization_id = me.organization_id
            AND (me.admin OR d.folder_id IN (SELECT id FROM tree)))
     ORDER BY d.id`,
    [email],
  );
  return rows.map((r) => Number(r.id));
}
