import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IdField, TextField } from '../../../core/http/fields';

export class CreateFolderDto {
  @ApiProperty({ maxLength: 200, description: 'Unique among its siblings; no "/"' })
  @TextField({ max: 200, notBlank: true, patterns: [[/^[^/]*$/, 'must not contain "/"']] })
  name!: string;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    description: 'The folder to create it in; absent or null: at the top level (admins only)',
  })
  @IdField({ optional: true })
  parentId?: number | null;

  @ApiPropertyOptional({
    description:
      'Platform administrators: the organization (taken from the parent when one is given). Others: their own or absent.',
  })
  @IdField({ optional: true })
  organizationId?: number;
}
