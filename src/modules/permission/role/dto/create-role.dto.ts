import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { RoleGrantsDto } from './role-grants.dto';

export class CreateRoleDto extends RoleGrantsDto {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'must not be blank' })
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'Members may use the admin hub (only organization admins may set it)',
  })
  @IsOptional()
  @IsBoolean()
  adminHub?: boolean;

  @ApiPropertyOptional({
    description: 'Platform admins name it; everyone else creates roles in their own organization',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  organizationId?: number;
}
