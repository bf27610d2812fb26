import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Reference data: the kinds of thing permissions are granted on (and their tabs). */
@Entity({ name: 'entity_types' })
export class EntityType {
  @PrimaryColumn({ name: 'code', type: 'text' })
  code!: string;

  @Column({ name: 'label', type: 'text' })
  label!: string;

  @Column({ name: 'has_tab', type: 'boolean' })
  hasTab!: boolean;
}
