import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A tenant: every business row carries its organization_id. */
@Entity({ name: 'organizations' })
export class Organization {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    type: 'bigint',
    generatedIdentity: 'BY DEFAULT',
  })
  id!: number;

  @Column({ name: 'name', type: 'text' })
  name!: string;

  @Column({ name: 'slug', type: 'text' })
  slug!: string;

  @Column({ name: 'is_active', type: 'boolean' })
  isActive!: boolean;

  /** Bumped on every permission change: part of every shared-cache key for this tenant. */
  @Column({ name: 'permission_version', type: 'bigint' })
  permissionVersion!: number;

  @Column({ name: 'version', type: 'integer' })
  version!: number;

  @Column({ name: 'created_on', type: 'timestamptz' })
  createdOn!: string;

  @Column({ name: 'updated_on', type: 'timestamptz' })
  updatedOn!: string;
}
