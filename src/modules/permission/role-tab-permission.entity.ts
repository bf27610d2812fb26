import { Entity, PrimaryColumn } from 'typeorm';

/** A role may open the frontend tab of an entity type. */
@Entity({ name: 'role_tab_permissions' })
export class RoleTabPermission {
  @PrimaryColumn({ name: 'role_id', type: 'bigint' })
  roleId!: number;

  @PrimaryColumn({ name: 'tab', type: 'text' })
  tab!: string;
}
