import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class CreateOrganizationDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'must not be blank' })
  name!: string;

  @ApiProperty({
    pattern: SLUG_PATTERN.source,
    maxLength: 63,
    example: 'acme',
    description: 'Unique short name: lower-case letters, digits and "-", not starting with "-"',
  })
  @IsString()
  @Matches(SLUG_PATTERN, {
    message: 'takes 1 to 63 lower-case letters, digits and "-", starting with a letter or digit',
  })
  slug!: string;

  @ApiPropertyOptional({
    default: true,
    description: 'false: nobody of the organization can sign in or use a token',
  })
  @IsOptional()
  @IsBoolean()
  isActive?: boolean;
}
