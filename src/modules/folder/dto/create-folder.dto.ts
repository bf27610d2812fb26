import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, Min } from 'class-validator';

export class CreateFolderDto {
  @ApiProperty({ maxLength: 200, description: 'Unique among its siblings; no "/"' })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'must not be blank' })
  @Matches(/^[^/]*$/, { message: 'must not contain "/"' })
  name!: string;

  @ApiPropertyOptional({
    nullable: true,
    description: 'The folder to create it in; absent or null: at the top level (admins only)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  parentId?: number | null;

  @ApiPropertyOptional({
    description:
      'Platform administrators: the organization (taken from the parent when one is given). Others: their own or absent.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  organizationId?: number;
}
