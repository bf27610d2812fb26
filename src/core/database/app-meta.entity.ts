import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Key-value facts about this database itself (e.g. which seed data set it holds). */
@Entity({ name: 'app_meta' })
export class AppMeta {
  @PrimaryColumn({ name: 'key', type: 'text' })
  key!: string;

  @Column({ name: 'value', type: 'text' })
  value!: string;

  @Column({ name: 'updated_on', type: 'timestamptz' })
  updatedOn!: string;
}
