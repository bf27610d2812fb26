import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BoolField, IdField, TextField } from '../../../../core/http/fields';
import { RoleGrantsDto } from './role-grants.dto';

export class CreateRoleDto extends RoleGrantsDto {
  @ApiProperty({ maxLength: 100 })
  @TextField({ max: 100, notBlank: true })
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @TextField({ max: 2000, optional: true })
  description?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'Members may use the admin hub (only organization admins may set it)',
  })
  @BoolField({ optional: true })
  adminHub?: boolean;

  @ApiPropertyOptional({
    description: 'Platform admins name it; everyone else creates roles in their own organization',
  })
  @IdField({ optional: true })
  organizationId?: number;
}
