import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BoolField, EmailField, TextField, VersionField } from '../../../core/http/fields';
import { PASSWORD_MAX, PASSWORD_MIN } from './create-user.dto';

export class UpdateUserDto {
  @ApiProperty({ description: 'The version you read; a stale one answers 409 VERSION_CONFLICT' })
  @VersionField()
  version!: number;

  @ApiPropertyOptional({ maxLength: 320 })
  @EmailField({ max: 320, optional: true })
  email?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @TextField({ max: 200, notBlank: true, optional: true })
  displayName?: string;

  @ApiPropertyOptional({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, writeOnly: true })
  @TextField({ min: PASSWORD_MIN, max: PASSWORD_MAX, optional: true })
  password?: string;

  @ApiPropertyOptional({ description: 'Only organization and platform admins may change it' })
  @BoolField({ optional: true })
  isOrgAdmin?: boolean;

  @ApiPropertyOptional({ description: 'false: the account can no longer sign in or use tokens' })
  @BoolField({ optional: true })
  isActive?: boolean;
}
