import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IdField, Int4Field, TextField } from '../../../core/http/fields';

export class CreateDocumentTypeDto {
  @ApiProperty({ maxLength: 200, description: 'Unique within the organization' })
  @TextField({ max: 200, notBlank: true })
  name!: string;

  @ApiPropertyOptional({
    type: String,
    maxLength: 2000,
    default: '',
    nullable: true,
    description: 'null: empty',
  })
  @TextField({ max: 2000, optional: true })
  description?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 2147483647,
    description: 'How long documents of this type are kept; null: no rule',
  })
  @Int4Field({ min: 1, optional: true })
  retentionDays?: number | null;

  @ApiPropertyOptional({
    description: 'Platform administrators: the organization. Others: their own or absent.',
  })
  @IdField({ optional: true })
  organizationId?: number;
}
