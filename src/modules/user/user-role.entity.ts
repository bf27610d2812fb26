import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Membership of a user in a role of the same organization. */
@Entity({ name: 'user_roles' })
export class UserRole {
  @PrimaryColumn({ name: 'user_id', type: 'bigint' })
  userId!: number;

  @PrimaryColumn({ name: 'role_id', type: 'bigint' })
  roleId!: number;

  @Column({ name: 'organization_id', type: 'bigint' })
  organizationId!: number;

  @Column({ name: 'created_on', type: 'timestamptz' })
  createdOn!: string;
}
