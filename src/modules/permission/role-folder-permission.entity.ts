import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A role may do `action` in a folder and, through folders.path, in all its subfolders. */
@Entity({ name: 'role_folder_permissions' })
export class RoleFolderPermission {
  @PrimaryColumn({ name: 'role_id', type: 'bigint' })
  roleId!: number;

  @PrimaryColumn({ name: 'folder_id', type: 'bigint' })
  folderId!: number;

  @PrimaryColumn({ name: 'action', type: 'text' })
  action!: string;

  @Column({ name: 'organization_id', type: 'bigint' })
  organizationId!: number;
}
