import { Entity, PrimaryColumn } from 'typeorm';

/** A role may do `action` on every row of `entityType` (within folder grants where those apply). */
@Entity({ name: 'role_entity_permissions' })
export class RoleEntityPermission {
  @PrimaryColumn({ name: 'role_id', type: 'bigint' })
  roleId!: number;

  @PrimaryColumn({ name: 'entity_type', type: 'text' })
  entityType!: string;

  @PrimaryColumn({ name: 'action', type: 'text' })
  action!: string;
}
