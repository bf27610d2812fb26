import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A node of an organization's folder tree. */
@Entity({ name: 'folders' })
export class Folder {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    type: 'bigint',
    generatedIdentity: 'BY DEFAULT',
  })
  id!: number;

  @Column({ name: 'organization_id', type: 'bigint' })
  organizationId!: number;

  @Column({ name: 'parent_id', type: 'bigint', nullable: true })
  parentId!: number | null;

  @Column({ name: 'name', type: 'text' })
  name!: string;

  /** Ancestor ids from the root down to this folder itself. */
  @Column({ name: 'path', type: 'bigint', array: true })
  path!: number[];

  @Column({ name: 'depth', type: 'smallint' })
  depth!: number;

  /** Set on the system folders every member sees (Inbox, Archive). */
  @Column({ name: 'system_key', type: 'text', nullable: true })
  systemKey!: 'inbox' | 'archive' | null;

  @Column({ name: 'version', type: 'integer' })
  version!: number;

  @Column({ name: 'created_on', type: 'timestamptz' })
  createdOn!: string;

  @Column({ name: 'updated_on', type: 'timestamptz' })
  updatedOn!: string;
}
