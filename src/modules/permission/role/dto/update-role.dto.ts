import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BoolField, TextField, VersionField } from '../../../../core/http/fields';

export class UpdateRoleDto {
  @ApiProperty({ description: 'The version you read; a stale one answers 409 VERSION_CONFLICT' })
  @VersionField()
  version!: number;

  @ApiPropertyOptional({ maxLength: 100 })
  @TextField({ max: 100, notBlank: true, optional: true })
  name?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @TextField({ max: 2000, optional: true })
  description?: string;

  @ApiPropertyOptional({ description: 'Only organization admins may change it' })
  @BoolField({ optional: true })
  adminHub?: boolean;
}
