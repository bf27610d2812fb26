import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsOptional, ValidateBy, ValidateNested, isEmail, isISO8601 } from 'class-validator';

/** The largest int4 (PostgreSQL integer). */
export const INT4_MAX = 2_147_483_647;
/** int8 columns take more, but JSON numbers beyond this are no longer exact. */
export const INT8_MAX = Number.MAX_SAFE_INTEGER;

/**
 * What a field decorator declares, kept in class-validator's metadata (the
 * constraint of the `field` validator) so a test can hold it against the schema.
 */
export type FieldSpec =
  | { kind: 'id' | 'int4' | 'int8' | 'version'; min: number; max: number }
  | { kind: 'text'; min: number; max: number }
  | { kind: 'email'; max: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'enum-array'; values: readonly string[] }
  | { kind: 'id-array'; maxItems: number; min: number; max: number }
  | { kind: 'nested-array'; minItems: number; maxItems: number }
  | { kind: 'bool' | 'date' | 'object' };

/** The name of the one validator every field decorator adds. */
export const FIELD_VALIDATOR = 'field';

export interface FieldOptions {
  /** Absent (or null) is allowed: nothing is checked then. */
  optional?: boolean;
}

type Check = (value: unknown) => string | undefined;

/**
 * One validator per field whose message is the single most relevant problem:
 * missing → "is required", wrong type → the type, else the bound. Messages
 * start with the property name ("title must not contain NUL characters").
 */
function field(spec: FieldSpec, check: Check, opts: FieldOptions): PropertyDecorator {
  const validator = ValidateBy({
    name: FIELD_VALIDATOR,
    constraints: [spec],
    validator: {
      validate: (value: unknown) => check(value) === undefined,
      defaultMessage: (args) => {
        const p = check(args?.value) ?? 'is invalid';
        // "roleIds[2] must be an integer", else "title must not be blank".
        return `${args?.property ?? 'value'}${p.startsWith('[') ? '' : ' '}${p}`;
      },
    },
  });
  return opts.optional ? applyDecorators(IsOptional(), validator) : validator;
}

const missing = (v: unknown) => v === undefined || v === null;

function intProblem(v: unknown, min: number, max: number): string | undefined {
  if (missing(v)) return 'is required';
  if (typeof v !== 'number' || !Number.isInteger(v)) return 'must be an integer';
  if (v < min) return `must be at least ${min}`;
  if (v > max) return `must be at most ${max}`;
  return undefined;
}

/** Lone surrogates: in u-mode a valid pair is one code point, never \p{Surrogate}. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Characters as PostgreSQL's char_length counts them (code points). */
function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The problems of any text: not a string, NUL (PostgreSQL refuses 0x00), lone surrogates. */
function stringProblem(v: unknown): string | undefined {
  if (missing(v)) return 'is required';
  if (typeof v !== 'string') return 'must be a string';
  if (v.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(v)) return 'must be well-formed text (no lone surrogates)';
  return undefined;
}

function lengthProblem(s: string, min: number, max: number): string | undefined {
  // Code points ≤ code units ≤ 2 × code points: between 2 × min and max units the count
  // cannot change the answer; elsewhere count (9 astral characters are 18 units, < 10 points).
  const n = s.length > max || s.length < 2 * min ? charLength(s) : s.length;
  if (n > max) return `must be at most ${max} characters`;
  if (n < min) return min === 1 ? 'must not be empty' : `must be at least ${min} characters`;
  return undefined;
}

/** A positive integer id: int8 in the database, exact JSON numbers only. */
export function IdField(opts: FieldOptions = {}): PropertyDecorator {
  return field({ kind: 'id', min: 1, max: INT8_MAX }, (v) => intProblem(v, 1, INT8_MAX), opts);
}

/** An integer of an int4 column. */
export function Int4Field(opts: FieldOptions & { min?: number } = {}): PropertyDecorator {
  const min = opts.min ?? -INT4_MAX - 1;
  return field({ kind: 'int4', min, max: INT4_MAX }, (v) => intProblem(v, min, INT4_MAX), opts);
}

/** An integer of an int8 column, up to Number.MAX_SAFE_INTEGER. */
export function Int8Field(opts: FieldOptions & { min?: number } = {}): PropertyDecorator {
  const min = opts.min ?? -INT8_MAX;
  return field({ kind: 'int8', min, max: INT8_MAX }, (v) => intProblem(v, min, INT8_MAX), opts);
}

/** The version the caller read (an int4 column, from 1). */
export function VersionField(opts: FieldOptions = {}): PropertyDecorator {
  return field({ kind: 'version', min: 1, max: INT4_MAX }, (v) => intProblem(v, 1, INT4_MAX), opts);
}

export interface TextOptions extends FieldOptions {
  /** Most characters (code points, as char_length counts). */
  max: number;
  /** Fewest characters; default 0 (1 when notBlank). */
  min?: number;
  /** At least one non-space character. */
  notBlank?: boolean;
  /** Further rules: [pattern, message without the field name]. */
  patterns?: readonly (readonly [RegExp, string])[];
}

/** Text: a string, no NUL, well-formed UTF-16, of bounded length. */
export function TextField(opts: TextOptions): PropertyDecorator {
  const min = opts.min ?? (opts.notBlank ? 1 : 0);
  const check: Check = (v) => {
    const p = stringProblem(v);
    if (p !== undefined) return p;
    const s = v as string;
    const len = lengthProblem(s, min, opts.max);
    if (len !== undefined) return len;
    if (opts.notBlank && !/\S/.test(s)) return 'must not be blank';
    for (const [pattern, message] of opts.patterns ?? []) if (!pattern.test(s)) return message;
    return undefined;
  };
  return field({ kind: 'text', min, max: opts.max }, check, opts);
}

/** An email address of at most `max` characters. */
export function EmailField(opts: FieldOptions & { max: number }): PropertyDecorator {
  const check: Check = (v) =>
    stringProblem(v) ??
    lengthProblem(v as string, 1, opts.max) ??
    (isEmail(v) ? undefined : 'must be an email address');
  return field({ kind: 'email', max: opts.max }, check, opts);
}

/** One of a fixed set of strings. */
export function EnumField(values: readonly string[], opts: FieldOptions = {}): PropertyDecorator {
  const check: Check = (v) =>
    missing(v)
      ? 'is required'
      : typeof v === 'string' && values.includes(v)
        ? undefined
        : `must be one of ${values.join(', ')}`;
  return field({ kind: 'enum', values }, check, opts);
}

/** A non-empty list of distinct values of a fixed set (or empty when `allowEmpty`). */
export function EnumArrayField(
  values: readonly string[],
  opts: FieldOptions & { allowEmpty?: boolean } = {},
): PropertyDecorator {
  const check: Check = (v) => {
    if (missing(v)) return 'is required';
    if (!Array.isArray(v)) return 'must be an array';
    if (v.length === 0 && !opts.allowEmpty) return 'must not be empty';
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x !== 'string' || !values.includes(x))
        return `[${i}] must be one of ${values.join(', ')}`;
    }
    if (new Set(v).size < v.length) return 'must not repeat a value';
    return undefined;
  };
  return field({ kind: 'enum-array', values }, check, opts);
}

/** A list of distinct ids (positive integers up to Number.MAX_SAFE_INTEGER). */
export function IdArrayField(opts: FieldOptions & { maxItems: number }): PropertyDecorator {
  const check: Check = (v) => {
    if (missing(v)) return 'is required';
    if (!Array.isArray(v)) return 'must be an array';
    if (v.length > opts.maxItems) return `must have at most ${opts.maxItems} items`;
    for (let i = 0; i < v.length; i++) {
      const p = intProblem(v[i], 1, INT8_MAX);
      if (p !== undefined) return `[${i}] ${p}`;
    }
    if (new Set(v).size < v.length) return 'must not repeat a value';
    return undefined;
  };
  return field({ kind: 'id-array', maxItems: opts.maxItems, min: 1, max: INT8_MAX }, check, opts);
}

/** A list of objects, each validated as `type` (problems name items.<n>.<field>). */
export function NestedArrayField(
  type: () => new () => object,
  opts: FieldOptions & { minItems?: number; maxItems: number },
): PropertyDecorator {
  const minItems = opts.minItems ?? 0;
  const check: Check = (v) => {
    if (missing(v)) return 'is required';
    if (!Array.isArray(v)) return 'must be an array';
    if (v.length < minItems)
      return minItems === 1 ? 'must not be empty' : `must have at least ${minItems} items`;
    if (v.length > opts.maxItems) return `must have at most ${opts.maxItems} items`;
    const i = v.findIndex((x) => typeof x !== 'object' || x === null || Array.isArray(x));
    if (i >= 0) return `[${i}] must be an object`;
    return undefined;
  };
  return applyDecorators(
    field({ kind: 'nested-array', minItems, maxItems: opts.maxItems }, check, opts),
    ValidateNested({ each: true }),
    Type(type),
  );
}

/** true or false. */
export function BoolField(opts: FieldOptions = {}): PropertyDecorator {
  const check: Check = (v) =>
    missing(v) ? 'is required' : typeof v === 'boolean' ? undefined : 'must be true or false';
  return field({ kind: 'bool' }, check, opts);
}

/** A strict ISO 8601 date or date-time. */
export function DateField(opts: FieldOptions = {}): PropertyDecorator {
  const check: Check = (v) =>
    stringProblem(v) ??
    (isISO8601(v, { strict: true }) ? undefined : 'must be an ISO 8601 date or date-time');
  return field({ kind: 'date' }, check, opts);
}

/** A JSON object (its contents are the service's to check). */
export function ObjectField(opts: FieldOptions = {}): PropertyDecorator {
  const check: Check = (v) =>
    missing(v)
      ? 'is required'
      : typeof v === 'object' && !Array.isArray(v)
        ? undefined
        : 'must be an object';
  return field({ kind: 'object' }, check, opts);
}
