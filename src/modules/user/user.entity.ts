import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A person who logs in; organization_id is null only for platform admins. */
@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    type: 'bigint',
    generatedIdentity: 'BY DEFAULT',
  })
  id!: number;

  @Column({ name: 'organization_id', type: 'bigint', nullable: true })
  organizationId!: number | null;

  @Column({ name: 'email', type: 'text' })
  email!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ name: 'is_platform_admin', type: 'boolean' })
  isPlatformAdmin!: boolean;

  @Column({ name: 'is_org_admin', type: 'boolean' })
  isOrgAdmin!: boolean;

  @Column({ name: 'is_active', type: 'boolean' })
  isActive!: boolean;

  @Column({ name: 'last_login_on', type: 'timestamptz', nullable: true })
  lastLoginOn!: string | null;

  @Column({ name: 'version', type: 'integer' })
  version!: number;

  /** The stamp tokens carry as `cv`; moved on by changes that revoke every earlier token. */
  @Column({ name: 'credential_version', type: 'bigint' })
  credentialVersion!: number;

  @Column({ name: 'created_on', type: 'timestamptz' })
  createdOn!: string;

  @Column({ name: 'updated_on', type: 'timestamptz' })
  updatedOn!: string;
}
