import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DateField, EnumField, IdField, TextField } from '../../../core/http/fields';
import { MAIL_PRIORITIES } from '../mail-workflow';

/** A mail entered by hand (batches bring the rest). */
export class CreateMailDto {
  @ApiProperty({ maxLength: 500 })
  @TextField({ max: 500, notBlank: true })
  subject!: string;

  @ApiProperty({ maxLength: 320, example: 'billing@supplier.example' })
  @TextField({ max: 320, notBlank: true })
  sender!: string;

  @ApiPropertyOptional({
    example: '2025-01-31T09:30:00Z',
    description: 'When the mail arrived; default now',
  })
  @DateField({ optional: true })
  receivedOn?: string;

  @ApiPropertyOptional({ enum: MAIL_PRIORITIES, default: 'normal' })
  @EnumField(MAIL_PRIORITIES, { optional: true })
  priority?: string;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    description: 'Folder to file the mail in; none: unfiled, visible to everyone who may view mail',
  })
  @IdField({ optional: true })
  folderId?: number | null;

  @ApiPropertyOptional({
    description:
      'Platform administrators only (they belong to no organization): the organization the mail is for, unless a folder says it',
  })
  @IdField({ optional: true })
  organizationId?: number;
}
