import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';
import { CreateFolderDto } from './create-folder.dto';

/** A rename (name), a move (parentId; null = to the top level), or both. */
export class UpdateFolderDto extends PartialType(OmitType(CreateFolderDto, ['organizationId'])) {
  @ApiProperty({ description: 'The version you read; a stale one answers 409 VERSION_CONFLICT' })
  @IsInt()
  @Min(1)
  version!: number;
}
