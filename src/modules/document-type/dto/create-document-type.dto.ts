import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, MaxLength, Min } from 'class-validator';

export class CreateDocumentTypeDto {
  @ApiProperty({ maxLength: 200, description: 'Unique within the organization' })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'must not be blank' })
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000, default: '', nullable: true, description: 'null: empty' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    minimum: 1,
    description: 'How long documents of this type are kept; null: no rule',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  retentionDays?: number | null;

  @ApiPropertyOptional({
    description: 'Platform administrators: the organization. Others: their own or absent.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  organizationId?: number;
}
