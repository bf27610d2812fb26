import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Min,
} from 'class-validator';
import { MAIL_PRIORITIES } from '../../mail/mail-workflow';

/** One item of a batch: the mail it becomes and, optionally, the document filed from it. */
export class BatchItemDto {
  @ApiProperty({ maxLength: 500 })
  @IsString()
  @Length(1, 500)
  @Matches(/\S/, { message: 'must not be blank' })
  subject!: string;

  @ApiProperty({ maxLength: 320 })
  @IsString()
  @Length(1, 320)
  @Matches(/\S/, { message: 'must not be blank' })
  sender!: string;

  @ApiPropertyOptional({ example: '2025-01-31T09:30:00Z', description: 'Default: when processed' })
  @IsOptional()
  @IsISO8601({ strict: true })
  receivedOn?: string;

  @ApiPropertyOptional({ enum: MAIL_PRIORITIES, default: 'normal' })
  @IsOptional()
  @IsIn(MAIL_PRIORITIES)
  priority?: string;

  @ApiPropertyOptional({ maxLength: 500, description: 'A document to file from this mail' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @Matches(/\S/, { message: 'must not be blank' })
  documentTitle?: string;

  @ApiPropertyOptional({ description: "A document type of the batch's organization" })
  @IsOptional()
  @IsInt()
  @Min(1)
  documentTypeId?: number;

  @ApiPropertyOptional({ description: 'Folder to file the mail (and document) in' })
  @IsOptional()
  @IsInt()
  @Min(1)
  folderId?: number;
}
