import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FieldSpec } from '../../src/core/http/fields';
import { FIELD_VALIDATOR } from '../../src/core/http/fields';

const ROOT = join(__dirname, '..', '..');

/** Answers, not requests: their properties are not validated. */
export const OUTPUT_DTOS = new Set([
  'LoginResponseDto',
  'MeDto',
  'MeUserDto',
  'MeOrganizationDto',
  'MeRoleDto',
  'BatchProgressDto',
  'BatchDetailsDto',
  'UserDetailsDto',
  'RoleRefDto',
  'RoleDetailsDto',
  'RoleGrantsViewDto',
  'FolderGrantViewDto',
  'RoleMemberDto',
]);

export type DtoClass = abstract new (...args: never[]) => unknown;

/** Every file under a dto/ folder of src. */
export function dtoFiles(dir = join(ROOT, 'src')): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...dtoFiles(path));
    else if (/\/dto\/[^/]+\.ts$/.test(path) && !path.endsWith('.spec.ts')) out.push(path);
  }
  return out.sort();
}

/** The request DTO classes exported by every dto file, by name (file: where). */
export function requestDtos(): { name: string; file: string; cls: DtoClass }[] {
  const out: { name: string; file: string; cls: DtoClass }[] = [];
  for (const file of dtoFiles()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value !== 'function' || !/Dto$/.test(name) || OUTPUT_DTOS.has(name)) continue;
      out.push({ name, file: relative(ROOT, file), cls: value as DtoClass });
    }
  }
  return out;
}

/** The properties a DTO declares: to OpenAPI (ApiProperty) or to class-validator. */
export function dtoProperties(cls: DtoClass): string[] {
  const proto = cls.prototype as object;
  const swagger = (Reflect.getMetadata('swagger/apiModelPropertiesArray', proto) ?? []) as string[];
  const validated = getMetadataStorage()
    .getTargetValidationMetadatas(cls as unknown as new () => object, '', true, false)
    .map((m) => m.propertyName);
  return [...new Set([...swagger.map((p) => p.replace(/^:/, '')), ...validated])].sort();
}

/** The field decorator's declaration of each property (absent: none). */
export function fieldSpecs(cls: DtoClass): Map<string, FieldSpec> {
  const specs = new Map<string, FieldSpec>();
  for (const m of getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false)) {
    if (m.name === FIELD_VALIDATOR) specs.set(m.propertyName, m.constraints[0] as FieldSpec);
  }
  return specs;
}
