import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DateField,
  EnumField,
  IdField,
  Int4Field,
  Int8Field,
  TextField,
} from '../../../core/http/fields';
import { DOCUMENT_STATUSES } from '../document.grid';

export class CreateDocumentDto {
  @ApiProperty({ maxLength: 500 })
  @TextField({ max: 500, notBlank: true })
  title!: string;

  @ApiProperty({ description: 'Folder to file the document in' })
  @IdField()
  folderId!: number;

  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'null: no type' })
  @IdField({ optional: true })
  documentTypeId?: number | null;

  @ApiPropertyOptional({ enum: DOCUMENT_STATUSES, default: 'active' })
  @EnumField(DOCUMENT_STATUSES, { optional: true })
  status?: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @TextField({ max: 255, optional: true })
  fileName?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @TextField({ max: 100, optional: true })
  mimeType?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })
  @Int8Field({ min: 0, optional: true })
  sizeBytes?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 2147483647 })
  @Int4Field({ min: 0, optional: true })
  pageCount?: number;

  @ApiPropertyOptional({ example: '2025-01-31' })
  @DateField({ optional: true })
  documentDate?: string;

  @ApiPropertyOptional({ description: 'The mail this document came from' })
  @IdField({ optional: true })
  mailId?: number;
}
