import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ApiPropertyOptions } from '@nestjs/swagger';
import {
  EnumArrayField,
  IdField,
  NestedArrayField,
  ObjectField,
  VersionField,
} from '../../../../core/http/fields';
import { ACTIONS, ENTITY_TYPES } from '../../permission.types';
import type { Action } from '../../permission.types';

export class FolderGrantDto {
  @ApiProperty({
    description: 'A folder of the role’s organization; the grant flows down to subfolders',
  })
  @IdField()
  folderId!: number;

  @ApiProperty({ enum: ACTIONS, isArray: true })
  @EnumArrayField(ACTIONS)
  actions!: Action[];
}

const ENTITY_ACTIONS_DOC: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: { type: 'array', items: { type: 'string', enum: [...ACTIONS] } },
  example: { mail: ['view', 'edit', 'assign'], document: ['view'] },
  description: 'Entity type → actions the role may do on it (replaces the current grants)',
};

/** The grant sections of a role; each one given replaces that section, the others stay. */
export class RoleGrantsDto {
  @ApiPropertyOptional(ENTITY_ACTIONS_DOC)
  @ObjectField({ optional: true })
  entityActions?: Record<string, unknown>;

  @ApiPropertyOptional({
    enum: ENTITY_TYPES,
    isArray: true,
    description: 'Grids (tabs) the role may open (replaces the current tabs)',
  })
  @EnumArrayField(ENTITY_TYPES, { optional: true, allowEmpty: true })
  tabs?: string[];

  @ApiPropertyOptional({
    type: [FolderGrantDto],
    description: 'Folder grants (replace the current ones)',
  })
  @NestedArrayField(() => FolderGrantDto, { optional: true, maxItems: 1000 })
  folderGrants?: FolderGrantDto[];
}

export class SetRoleGrantsDto extends RoleGrantsDto {
  @ApiProperty({ description: 'The version you read; a stale one answers 409 VERSION_CONFLICT' })
  @VersionField()
  version!: number;
}
