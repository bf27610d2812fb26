import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { VersionField } from '../../../core/http/fields';
import { CreateDocumentTypeDto } from './create-document-type.dto';

export class UpdateDocumentTypeDto extends PartialType(
  OmitType(CreateDocumentTypeDto, ['organizationId']),
) {
  @ApiProperty({ description: 'The version you read; a stale one answers 409 VERSION_CONFLICT' })
  @VersionField()
  version!: number;
}
