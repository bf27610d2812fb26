import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BoolField, TextField } from '../../../core/http/fields';

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class CreateOrganizationDto {
  @ApiProperty({ maxLength: 200 })
  @TextField({ max: 200, notBlank: true })
  name!: string;

  @ApiProperty({
    pattern: SLUG_PATTERN.source,
    maxLength: 63,
    example: 'acme',
    description: 'Unique short name: lower-case letters, digits and "-", not starting with "-"',
  })
  @TextField({
    max: 63,
    min: 1,
    patterns: [
      [
        SLUG_PATTERN,
        'takes 1 to 63 lower-case letters, digits and "-", starting with a letter or digit',
      ],
    ],
  })
  slug!: string;

  @ApiPropertyOptional({
    default: true,
    description: 'false: nobody of the organization can sign in or use a token',
  })
  @BoolField({ optional: true })
  isActive?: boolean;
}
