import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { VersionField } from '../../../core/http/fields';
import { CreateFolderDto } from './create-folder.dto';

/** A rename (name), a move (parentId; null = to the top level), or both. */
export class UpdateFolderDto extends PartialType(OmitType(CreateFolderDto, ['organizationId'])) {
  @ApiProperty({ description: 'The version you read; a stale one answers 409 VERSION_CONFLICT' })
  @VersionField()
  version!: number;
}
