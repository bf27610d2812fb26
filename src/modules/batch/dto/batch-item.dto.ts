import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DateField, EnumField, IdField, TextField } from '../../../core/http/fields';
import { MAIL_PRIORITIES } from '../../mail/mail-workflow';

/** One item of a batch: the mail it becomes and, optionally, the document filed from it. */
export class BatchItemDto {
  @ApiProperty({ maxLength: 500 })
  @TextField({ max: 500, notBlank: true })
  subject!: string;

  @ApiProperty({ maxLength: 320 })
  @TextField({ max: 320, notBlank: true })
  sender!: string;

  @ApiPropertyOptional({ example: '2025-01-31T09:30:00Z', description: 'Default: when processed' })
  @DateField({ optional: true })
  receivedOn?: string;

  @ApiPropertyOptional({ enum: MAIL_PRIORITIES, default: 'normal' })
  @EnumField(MAIL_PRIORITIES, { optional: true })
  priority?: string;

  @ApiPropertyOptional({ maxLength: 500, description: 'A document to file from this mail' })
  @TextField({ max: 500, notBlank: true, optional: true })
  documentTitle?: string;

  @ApiPropertyOptional({ description: "A document type of the batch's organization" })
  @IdField({ optional: true })
  documentTypeId?: number;

  @ApiPropertyOptional({ description: 'Folder to file the mail (and document) in' })
  @IdField({ optional: true })
  folderId?: number;
}
