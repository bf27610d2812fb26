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
import { MAIL_PRIORITIES } from '../mail-workflow';

/** A mail entered by hand (batches bring the rest). */
export class CreateMailDto {
  @ApiProperty({ maxLength: 500 })
  @IsString()
  @Length(1, 500)
  @Matches(/\S/, { message: 'must not be blank' })
  subject!: string;

  @ApiProperty({ maxLength: 320, example: 'billing@supplier.example' })
  @IsString()
  @Length(1, 320)
  @Matches(/\S/, { message: 'must not be blank' })
  sender!: string;

  @ApiPropertyOptional({
    example: '2025-01-31T09:30:00Z',
    description: 'When the mail arrived; default now',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  receivedOn?: string;

  @ApiPropertyOptional({ enum: MAIL_PRIORITIES, default: 'normal' })
  @IsOptional()
  @IsIn(MAIL_PRIORITIES)
  priority?: string;

  @ApiPropertyOptional({
    nullable: true,
    description: 'Folder to file the mail in; none: unfiled, visible to everyone who may view mail',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  folderId?: number | null;

  @ApiPropertyOptional({
    description:
      'Platform administrators only (they belong to no organization): the organization the mail is for, unless a folder says it',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  organizationId?: number;
}
