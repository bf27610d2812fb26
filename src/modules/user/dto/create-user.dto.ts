import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BoolField, EmailField, IdArrayField, IdField, TextField } from '../../../core/http/fields';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export class CreateUserDto {
  @ApiProperty({ example: 'jane@acme.example', maxLength: 320 })
  @EmailField({ max: 320 })
  email!: string;

  @ApiProperty({ maxLength: 200 })
  @TextField({ max: 200, notBlank: true })
  displayName!: string;

  @ApiProperty({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, writeOnly: true })
  @TextField({ min: PASSWORD_MIN, max: PASSWORD_MAX })
  password!: string;

  @ApiPropertyOptional({
    description: 'Platform admins name it; everyone else creates users in their own organization',
  })
  @IdField({ optional: true })
  organizationId?: number;

  @ApiPropertyOptional({
    default: false,
    description: 'Only organization and platform admins may set it',
  })
  @BoolField({ optional: true })
  isOrgAdmin?: boolean;

  @ApiPropertyOptional({ default: true })
  @BoolField({ optional: true })
  isActive?: boolean;

  @ApiPropertyOptional({
    type: [Number],
    maxItems: 100,
    description: 'Roles of the same organization',
  })
  @IdArrayField({ maxItems: 100, optional: true })
  roleIds?: number[];
}
