import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  Min,
  ValidateNested,
} from 'class-validator';
import { ACTIONS, ENTITY_TYPES } from '../../permission.types';
import type { Action } from '../../permission.types';

export class FolderGrantDto {
  @ApiProperty({
    description: 'A folder of the role’s organization; the grant flows down to subfolders',
  })
  @IsInt()
  @Min(1)
  folderId!: number;

  @ApiProperty({ enum: ACTIONS, isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(ACTIONS, { each: true })
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
  @IsOptional()
  @IsObject()
  entityActions?: Record<string, unknown>;

  @ApiPropertyOptional({
    enum: ENTITY_TYPES,
    isArray: true,
    description: 'Grids (tabs) the role may open (replaces the current tabs)',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(ENTITY_TYPES, { each: true })
  tabs?: string[];

  @ApiPropertyOptional({
    type: [FolderGrantDto],
    description: 'Folder grants (replace the current ones)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => FolderGrantDto)
  folderGrants?: FolderGrantDto[];
}

export class SetRoleGrantsDto extends RoleGrantsDto {
  @ApiProperty({ description: 'The version you read; a stale one answers 409 VERSION_CONFLICT' })
  @IsInt()
  @Min(1)
  version!: number;
}
