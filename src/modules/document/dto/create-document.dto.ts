import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { DOCUMENT_STATUSES } from '../document.grid';

export class CreateDocumentDto {
  @ApiProperty({ maxLength: 500 })
  @IsString()
  @Length(1, 500)
  @Matches(/\S/, { message: 'must not be blank' })
  title!: string;

  @ApiProperty({ description: 'Folder to file the document in' })
  @IsInt()
  @Min(1)
  folderId!: number;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  documentTypeId?: number | null;

  @ApiPropertyOptional({ enum: DOCUMENT_STATUSES, default: 'active' })
  @IsOptional()
  @IsIn(DOCUMENT_STATUSES)
  status?: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  fileName?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  mimeType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  sizeBytes?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  pageCount?: number;

  @ApiPropertyOptional({ example: '2025-01-31' })
  @IsOptional()
  @IsISO8601({ strict: true })
  documentDate?: string;

  @ApiPropertyOptional({ description: 'The mail this document came from' })
  @IsOptional()
  @IsInt()
  @Min(1)
  mailId?: number;
}
