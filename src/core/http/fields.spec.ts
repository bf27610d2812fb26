import 'reflect-metadata';
import { ApiProperty } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { dtoProperties, fieldSpecs, requestDtos } from '../../../test/support/dto-fields';
import {
  EnumArrayField,
  IdArrayField,
  IdField,
  Int4Field,
  Int8Field,
  NestedArrayField,
  TextField,
  VersionField,
} from './fields';

class Item {
  @TextField({ max: 5, notBlank: true }) name!: string;
}

class Sample {
  @IdField() id!: number;
  @IdField({ optional: true }) parentId?: number | null;
  @Int4Field({ min: 0, optional: true }) count?: number;
  @Int8Field({ min: 0, optional: true }) size?: number;
  @VersionField() version!: number;
  @TextField({ max: 3, optional: true }) title?: string;
  @TextField({ min: 3, max: 8, optional: true }) code?: string;
  @IdArrayField({ maxItems: 2, optional: true }) ids?: number[];
  @EnumArrayField(['a', 'b'], { optional: true }) tags?: string[];
  @NestedArrayField(() => Item, { optional: true, maxItems: 2 }) items?: Item[];
}

const base = { id: 1, version: 1 };

/** The one message validation reports for the body (stopAtFirstError, as the pipe runs). */
function problem(body: Record<string, unknown>): string | undefined {
  const errors = validateSync(plainToInstance(Sample, body), { stopAtFirstError: true });
  const first = errors[0];
  if (!first) return undefined;
  if (first.constraints) return Object.values(first.constraints)[0];
  const nested = first.children?.[0]?.children?.[0];
  return nested?.constraints ? Object.values(nested.constraints)[0] : 'nested';
}

describe('field decorators', () => {
  it('say "is required" first, then the type, then the bound', () => {
    expect(problem({ id: 1 })).toBe('version is required');
    expect(problem({ ...base, version: '4' })).toBe('version must be an integer');
    expect(problem({ ...base, version: 1.5 })).toBe('version must be an integer');
    expect(problem({ ...base, version: 0 })).toBe('version must be at least 1');
    expect(problem({ ...base, version: 2 ** 31 })).toBe('version must be at most 2147483647');
    expect(problem({ version: 1 })).toBe('id is required');
  });

  it('bound ids and int8 at Number.MAX_SAFE_INTEGER (1e308 and 2^63 too)', () => {
    expect(problem({ ...base, id: Number.MAX_SAFE_INTEGER })).toBeUndefined();
    for (const big of [2 ** 53, 2 ** 63, 1e308])
      expect(problem({ ...base, id: big })).toBe('id must be at most 9007199254740991');
    expect(problem({ ...base, size: 2 ** 63 })).toBe('size must be at most 9007199254740991');
    expect(problem({ ...base, count: 2 ** 31 })).toBe('count must be at most 2147483647');
    expect(problem({ ...base, count: 2 ** 31 - 1 })).toBeUndefined();
    expect(problem({ ...base, parentId: null })).toBeUndefined();
  });

  it('refuse NUL, lone surrogates and text over the bound in code points', () => {
    expect(problem({ ...base, title: 'a\u0000' })).toBe('title must not contain NUL characters');
    expect(problem({ ...base, title: 'a\ud800' })).toBe(
      'title must be well-formed text (no lone surrogates)',
    );
    expect(problem({ ...base, title: '\udc00' })).toBe(
      'title must be well-formed text (no lone surrogates)',
    );
    expect(problem({ ...base, title: '😀😀😀' })).toBeUndefined();
    expect(problem({ ...base, title: 'abcd' })).toBe('title must be at most 3 characters');
    expect(problem({ ...base, title: 3 })).toBe('title must be a string');
    // Two astral characters are four code units, still fewer than 3 code points.
    expect(problem({ ...base, code: '😀😀' })).toBe('code must be at least 3 characters');
    expect(problem({ ...base, code: '😀😀😀' })).toBeUndefined();
  });

  it('check array elements', () => {
    expect(problem({ ...base, ids: [1, 2 ** 63] })).toBe('ids[1] must be at most 9007199254740991');
    expect(problem({ ...base, ids: [1, 1] })).toBe('ids must not repeat a value');
    expect(problem({ ...base, ids: [1, 2, 3] })).toBe('ids must have at most 2 items');
    expect(problem({ ...base, tags: ['c'] })).toBe('tags[0] must be one of a, b');
    expect(problem({ ...base, items: [{ name: 'x\u0000' }] })).toBe(
      'name must not contain NUL characters',
    );
    expect(problem({ ...base, items: [1] })).toBe('items[0] must be an object');
  });
});

describe('request DTOs', () => {
  const dtos = requestDtos();

  it('are found in every dto file', () => {
    expect(dtos.length).toBeGreaterThan(20);
  });

  it('a property without a field decorator is found', () => {
    class Forgotten {
      @ApiProperty() @IdField() id!: number;
      @ApiProperty() note!: string;
    }
    const specs = fieldSpecs(Forgotten);
    expect(dtoProperties(Forgotten).filter((p) => !specs.has(p))).toEqual(['note']);
  });

  it.each(dtos.map((d) => [d.name, d] as const))(
    '%s declares every property with a field decorator',
    (_name, dto) => {
      const specs = fieldSpecs(dto.cls);
      const props = dtoProperties(dto.cls);
      expect(props.length).toBeGreaterThan(0);
      expect(props.filter((p) => !specs.has(p))).toEqual([]);
    },
  );
});
