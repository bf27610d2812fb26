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

  /** A stamp raised on every permission change (next_stamp): stamps this tenant's cached accesses. */
  @Column({ name: 'permission_version', type: 'bigint' })
  permissionVersion!: number;

  @Column({ name: 'version', type: 'integer' })
  version!: number;

  @Column({ name: 'created_on', type: 'timestamptz' })
  createdOn!: string;

  @Column({ name: 'updated_on', type: 'timestamptz' })
  updatedOn!: string;
}
