import fc from 'fast-check';
import http from 'node:http';

/**
 * Hostile requests derived from the app's OpenAPI document: every operation,
 * its path parameters and its request body schema (required fields, types,
 * bounds) as the document states them. A case is a small recipe with a short
 * description; its body text is built only when it is sent (some are 1 MB).
 */

/** The parts of an OpenAPI 3 schema the fuzzer reads. */
export interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  enum?: unknown[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  example?: unknown;
  default?: unknown;
  allOf?: Schema[];
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}

interface DocOperation {
  parameters?: Parameter[];
  responses?: Record<string, unknown>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, DocOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  method: string;
  /** The document's path, e.g. /api/folders/{id}. */
  path: string;
  /** "PATCH /api/folders/{id}". */
  label: string;
  pathParams: { name: string; schema: Schema }[];
  /** The request body schema with every $ref inlined (absent: the operation takes none). */
  body?: Schema;
  /** The answer statuses the document lists. */
  documented: number[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Inlines $ref and single allOf, to a bounded depth (the document has no cycles we need). */
function resolve(doc: OpenApiDoc, s: Schema, depth = 0): Schema {
  if (depth > 8) return {};
  let out: Schema = s;
  if (s.$ref) {
    const name = s.$ref.replace('#/components/schemas/', '');
    out = { ...(doc.components?.schemas?.[name] ?? {}) };
  }
  if (out.allOf?.length === 1) out = { ...resolve(doc, out.allOf[0], depth + 1), ...out };
  const r: Schema = { ...out };
  delete r.$ref;
  delete r.allOf;
  if (r.properties) {
    r.properties = Object.fromEntries(
      Object.entries(r.properties).map(([k, v]) => [k, resolve(doc, v, depth + 1)]),
    );
  }
  if (r.items) r.items = resolve(doc, r.items, depth + 1);
  if (r.additionalProperties && typeof r.additionalProperties === 'object')
    r.additionalProperties = resolve(doc, r.additionalProperties, depth + 1);
  return r;
}

/** Every operation of the document, in the document's order. */
export function operationsOf(doc: OpenApiDoc): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const schema = op.requestBody?.content?.['application/json']?.schema;
      out.push({
        method: method.toUpperCase(),
        path,
        label: `${method.toUpperCase()} ${path}`,
        pathParams: (op.parameters ?? [])
          .filter((p) => p.in === 'path')
          .map((p) => ({ name: p.name, schema: resolve(doc, p.schema ?? {}) })),
        body: schema ? resolve(doc, schema) : undefined,
        documented: Object.keys(op.responses ?? {}).map(Number),
      });
    }
  }
  return out;
}

/** A field of a body: its path (array items as "0"), schema, and whether it must be there. */
export interface Field {
  path: string[];
  schema: Schema;
  /** Required, and so is every object holding it. */
  required: boolean;
}

export function fieldsOf(schema: Schema, prefix: string[] = [], required = true): Field[] {
  const out: Field[] = [];
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    const path = [...prefix, name];
    const req = required && (schema.required ?? []).includes(name);
    out.push({ path, schema: s, required: req });
    if (s.properties) out.push(...fieldsOf(s, path, req));
    if (s.type === 'array' && s.items?.properties)
      out.push(...fieldsOf(s.items, [...path, '0'], req && (s.minItems ?? 0) > 0));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Values

/** JSON text spliced into a body as it is (numbers JSON.stringify cannot write, deep nesting). */
export class Raw {
  constructor(readonly text: string) {}
}

/** A value and its short description (never the value itself when it is large). */
export interface Hostile {
  kind: string;
  value: unknown;
}

const deep = (open: string, close: string, n: number, inner = '') =>
  open.repeat(n) + inner + close.repeat(n);

let bigCache: Record<string, Raw> | undefined;
/** The large values, made once and shared by reference. */
function big(): Record<string, Raw> {
  bigCache ??= {
    ascii: new Raw(JSON.stringify('x'.repeat(1_000_000))),
    emoji: new Raw(JSON.stringify('\u{1F600}'.repeat(250_000))),
    deepArray: new Raw(deep('[', ']', 5_000)),
    deepObject: new Raw(deep('{"a":', '}', 5_000, '1')),
  };
  return bigCache;
}

/** Hostile values for any field. */
function generalHostiles(): Hostile[] {
  const b = big();
  return [
    { kind: 'null', value: null },
    { kind: 'true', value: true },
    { kind: 'false', value: false },
    { kind: '0', value: 0 },
    { kind: '-1', value: -1 },
    { kind: '1.5', value: 1.5 },
    { kind: '-0', value: new Raw('-0') },
    { kind: '2^31', value: 2 ** 31 },
    { kind: '-2^31-1', value: -(2 ** 31) - 1 },
    { kind: '2^53', value: 2 ** 53 },
    { kind: '2^53+1', value: new Raw('9007199254740993') },
    { kind: '2^63', value: new Raw('9223372036854775808') },
    { kind: '-2^63-1', value: new Raw('-9223372036854775809') },
    { kind: '1e308', value: 1e308 },
    { kind: '1e309 (Infinity)', value: new Raw('1e309') },
    { kind: '1e3 (exponent form)', value: new Raw('1e3') },
    { kind: '"1"', value: '1' },
    { kind: '"NaN"', value: 'NaN' },
    { kind: '"Infinity"', value: 'Infinity' },
    { kind: '"1e3"', value: '1e3' },
    { kind: '"0x10"', value: '0x10' },
    { kind: '"true"', value: 'true' },
    { kind: 'empty string', value: '' },
    { kind: 'blank string', value: ' \t\n ' },
    { kind: 'NUL', value: '\u0000' },
    { kind: 'NUL inside', value: 'a\u0000b' },
    { kind: 'lone high surrogate', value: '\ud800' },
    { kind: 'lone low surrogate', value: 'x\udfff' },
    { kind: 'RTL text', value: '\u202e\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627' },
    {
      kind: 'emoji',
      value: '\u{1F469}\u200d\u{1F469}\u200d\u{1F467}\u{1F3F3}\ufe0f\u200d\u{1F308}',
    },
    { kind: 'combining marks', value: 'e\u0301\u0302\u0303\u0304'.repeat(5) },
    { kind: 'SQL-ish', value: "' OR 1=1; --" },
    { kind: '1 MB string', value: b.ascii },
    { kind: '1 MB emoji string', value: b.emoji },
    { kind: 'empty array', value: [] },
    { kind: 'array of null', value: [null] },
    { kind: 'duplicated array', value: ['a', 'a'] },
    { kind: 'duplicated number array', value: [1, 1] },
    { kind: 'nested arrays', value: [[[]]] },
    { kind: 'empty object', value: {} },
    { kind: 'object', value: { a: 1 } },
    { kind: 'nested 30 deep', value: new Raw(deep('{"a":', '}', 30, '1')) },
    { kind: 'nested 40 deep', value: new Raw(deep('[', ']', 40)) },
    { kind: 'nested 5000 deep array', value: b.deepArray },
    { kind: 'nested 5000 deep object', value: b.deepObject },
  ];
}

const repeat = (unit: string, n: number) => unit.repeat(Math.max(0, n));

/** Hostile values from the field's own schema: bounds ±1, enum near-misses. */
function schemaHostiles(s: Schema, validItem: unknown): Hostile[] {
  const out: Hostile[] = [];
  if (s.maxLength !== undefined) {
    const m = s.maxLength;
    out.push(
      { kind: `maxLength (${m})`, value: repeat('x', m) },
      { kind: `maxLength+1 (${m + 1})`, value: repeat('x', m + 1) },
      { kind: `maxLength emoji (${m} code points)`, value: repeat('\u{1F600}', m) },
      { kind: `maxLength+1 emoji (${m + 1} code points)`, value: repeat('\u{1F600}', m + 1) },
    );
  }
  if (s.minLength !== undefined) {
    out.push(
      { kind: `minLength-1 (${s.minLength - 1})`, value: repeat('y', s.minLength - 1) },
      { kind: `minLength (${s.minLength})`, value: repeat('y', s.minLength) },
    );
  }
  if (s.minimum !== undefined) {
    out.push(
      { kind: `minimum (${s.minimum})`, value: s.minimum },
      { kind: `minimum-1 (${s.minimum - 1})`, value: s.minimum - 1 },
    );
  }
  if (s.maximum !== undefined) {
    out.push(
      { kind: `maximum (${s.maximum})`, value: s.maximum },
      { kind: `maximum+1 (${s.maximum + 1})`, value: s.maximum + 1 },
    );
  }
  if (s.pattern) out.push({ kind: 'against pattern', value: '-UPPER case!' });
  for (const e of (s.enum ?? []).slice(0, 2)) {
    if (typeof e !== 'string') continue;
    out.push(
      { kind: 'enum value upper-cased', value: e.toUpperCase() },
      { kind: 'enum value + space', value: `${e} ` },
      { kind: 'enum value + NUL', value: `${e}\u0000` },
    );
  }
  const items = s.items;
  if (s.type === 'array') {
    if (s.maxItems !== undefined) {
      out.push({
        kind: `maxItems+1 (${s.maxItems + 1})`,
        value: Array.from({ length: s.maxItems + 1 }, () => validItem),
      });
    }
    if ((s.minItems ?? 0) > 0) out.push({ kind: 'fewer than minItems', value: [] });
    out.push({ kind: 'duplicated valid items', value: [validItem, validItem] });
    if (items?.enum) out.push({ kind: 'array with a non-enum item', value: ['nope'] });
  }
  return out;
}

/** Random values fast-check makes: strings of any code units, numbers, JSON. */
const randomHostile: fc.Arbitrary<Hostile> = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.string({ unit: fc.constantFrom('\ud800', '\udc00', '\u0000', 'a', '\u202e'), maxLength: 8 }),
    fc.integer(),
    fc.double(),
    fc.jsonValue({ maxDepth: 3 }),
  )
  .map((value) => ({
    kind: `random ${shortJson(value)}`,
    value: typeof value === 'number' && !Number.isFinite(value) ? null : value,
  }));

function shortJson(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 50 ? `${s.slice(0, 50)}…` : s;
}

// ---------------------------------------------------------------------------
// Valid-ish values

/** Ids the app listed, by collection path (e.g. /api/folders), and all of them together. */
export interface IdPool {
  byCollection: Map<string, number[]>;
  all: number[];
}

const kebabPlural = (stem: string) =>
  `${stem.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}${stem.endsWith('s') ? '' : 's'}`;

/** Ids for a field named like folderId / roleIds: /api/folders, /api/roles; else any seen id. */
function idsForName(name: string, pool: IdPool): number[] {
  const stem = /^(.+?)Ids?$/.exec(name)?.[1];
  const ids = stem ? pool.byCollection.get(`/api/${kebabPlural(stem)}`) : undefined;
  return ids && ids.length > 0 ? ids : pool.all.length > 0 ? pool.all : [1, 2, 3];
}

const isIdName = (name: string) => /Ids?$/.test(name);

/** A value the document says is right (or nearly: formats it does not state are guessed by name). */
export function validArb(s: Schema, name: string, pool: IdPool): fc.Arbitrary<unknown> {
  const nonNull = nonNullArb(s, name, pool);
  return s.nullable ? fc.oneof({ weight: 3, arbitrary: nonNull }, fc.constant(null)) : nonNull;
}

function nonNullArb(s: Schema, name: string, pool: IdPool): fc.Arbitrary<unknown> {
  if (s.enum && s.enum.length > 0) return fc.constantFrom(...s.enum);
  const numeric = s.type === 'number' || s.type === 'integer';
  const untyped = s.type === 'object' && !s.properties && !s.additionalProperties;
  if (isIdName(name) && (numeric || untyped)) return fc.constantFrom(...idsForName(name, pool));
  if (numeric || (untyped && (s.minimum !== undefined || s.maximum !== undefined))) {
    const min = s.minimum ?? 1;
    const max = s.maximum ?? min + 3;
    return fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max: Math.min(max, min + 1000) }));
  }
  if (s.type === 'string' || (untyped && s.maxLength !== undefined)) return stringArb(s, name);
  if (s.type === 'boolean') return fc.boolean();
  if (s.type === 'array') {
    const item = s.items ?? {};
    const maxLength = Math.min(s.maxItems ?? 3, 3);
    const minLength = Math.min(s.minItems ?? 0, maxLength);
    if (item.properties) return fc.array(validArb(item, name, pool), { minLength, maxLength });
    return fc.uniqueArray(validArb(item, name, pool), { minLength, maxLength });
  }
  if (s.properties) return objectArb(s, pool);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    const value = validArb(s.additionalProperties, name, pool);
    return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), value, { maxKeys: 2 });
  }
  return fc.constant(s.nullable ? null : {});
}

function stringArb(s: Schema, name: string): fc.Arbitrary<string> {
  const max = s.maxLength ?? 40;
  const min = s.minLength ?? 1;
  const fits = (x: string) => [...x].length <= max && x.length >= min;
  const given = [s.example, s.default].filter((x): x is string => typeof x === 'string' && fits(x));
  let made: fc.Arbitrary<string>;
  // Formats the document does not state, guessed from the name.
  if (/email|sender/i.test(name)) made = fc.emailAddress().filter(fits);
  else if (/[dD]ate|On$|At$/.test(name))
    made = fc
      .date({ min: new Date('2000-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
  else if (s.pattern) made = fc.stringMatching(new RegExp(s.pattern)).filter(fits);
  else
    made = fc
      .string({ minLength: min, maxLength: Math.min(max, Math.max(min, 30)) })
      .filter((x) => /\S/.test(x));
  return given.length > 0 ? fc.oneof(fc.constantFrom(...given), made) : made;
}

export function objectArb(s: Schema, pool: IdPool): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const model = Object.fromEntries(
    Object.entries(props).map(([k, v]) => [k, validArb(v, k, pool)]),
  ) as Record<string, fc.Arbitrary<unknown>>;
  return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
}

// ---------------------------------------------------------------------------
// What the document says about a value

/** True when the document makes the value certainly wrong for the schema. */
export function violates(s: Schema, value: unknown, required: boolean): boolean {
  if (value instanceof Raw) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value.text);
    } catch {
      return true;
    }
    if (typeof parsed === 'number' && !Number.isFinite(parsed)) return true;
    if (value.text.length > 1000 && /^[[{]/.test(value.text)) return true; // nesting over the limit
    return violates(s, parsed, required);
  }
  if (value === undefined) return required;
  if (value === null) return required && !s.nullable;
  if (s.enum) return !s.enum.includes(value);
  switch (s.type ?? '') {
    case 'string': {
      if (typeof value !== 'string') return true;
      const n = [...value].length;
      if (s.maxLength !== undefined && n > s.maxLength) return true;
      if (s.minLength !== undefined && n < s.minLength) return true;
      return s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value);
    }
    case 'number':
    case 'integer':
      if (typeof value !== 'number') return true;
      if (s.type === 'integer' && !Number.isInteger(value)) return true;
      return (
        (s.minimum !== undefined && value < s.minimum) ||
        (s.maximum !== undefined && value > s.maximum)
      );
    case 'boolean':
      return typeof value !== 'boolean';
    case 'array':
      if (!Array.isArray(value)) return true;
      if (s.maxItems !== undefined && value.length > s.maxItems) return true;
      if (s.minItems !== undefined && value.length < s.minItems) return true;
      return s.items?.enum !== undefined && value.some((x) => !s.items?.enum?.includes(x));
    default:
      // "object" here is often the document's stand-in for a nullable scalar: say nothing.
      if (s.properties) return typeof value !== 'object' || Array.isArray(value);
      return false;
  }
}

// ---------------------------------------------------------------------------
// Cases

export interface FuzzCase {
  op: Operation;
  /** The URL path, hostile segments percent-encoded. */
  url: string;
  /** "id=abc" or "id" (a real one). */
  pathKind: string;
  /** The body text, built when sent (undefined: no body). */
  body?: () => string;
  /** The field at fault ("items.0.subject"), "body", or "-". */
  where: string;
  /** The kind of value, short. */
  kind: string;
  /** The document (or the path) makes the request certainly wrong: a 2xx is a failure. */
  invalid: boolean;
}

interface PathValue {
  seg: string;
  label: string;
  invalid: boolean;
}

/** Hostile path ids: wrong format (400 INVALID_ID) or of the right format but no record. */
const HOSTILE_IDS: PathValue[] = [
  ['abc', true],
  ['0', true],
  ['-1', true],
  ['9223372036854775808', true],
  ['1e3', true],
  ['1.5', true],
  ['0x1f', true],
  ['%201', true],
  ['%00', true],
  ['%ED%A0%80', true],
  ['%D9%A3', true],
  ['9007199254740993', true],
  ['null', true],
  ['__proto__', true],
  ['2147483648', false],
  ['999999999999999', false],
].map(([seg, invalid]) => ({ seg: seg as string, label: `${String(seg)}`, invalid: !!invalid }));

const HOSTILE_SEGMENTS: PathValue[] = [
  'abc',
  '%00',
  'IS_ACTIVE',
  '__proto__',
  'constructor',
  'id%3BDROP%20TABLE%20x',
  '%ED%A0%80',
  'x'.repeat(300),
].map((seg) => ({ seg, label: seg.length > 30 ? `${seg.length} chars` : seg, invalid: true }));

function pathParamArb(
  op: Operation,
  p: { name: string; schema: Schema },
  pool: IdPool,
): fc.Arbitrary<PathValue> {
  if (p.schema.enum && p.schema.enum.length > 0) {
    const valid = fc
      .constantFrom(...p.schema.enum.map(String))
      .map((v) => ({ seg: encodeURIComponent(v), label: 'valid', invalid: false }));
    return fc.oneof(valid, fc.constantFrom(...HOSTILE_SEGMENTS));
  }
  const hostile = fc.constantFrom(...HOSTILE_IDS);
  // Deleting real records would take the fixtures away: DELETE gets no real id.
  if (op.method === 'DELETE') return hostile;
  const collection = op.path.slice(0, op.path.indexOf(`/{${p.name}}`));
  const ids = pool.byCollection.get(collection) ?? pool.all;
  if (ids.length === 0) return hostile;
  const real = fc
    .constantFrom(...ids)
    .map((id) => ({ seg: String(id), label: 'real', invalid: false }));
  return fc.oneof({ weight: 3, arbitrary: real }, { weight: 1, arbitrary: hostile });
}

/** Whole bodies that are no object or no JSON at all. */
function hostileWholeBodies(): Hostile[] {
  const b = big();
  return [
    { kind: 'null body', value: new Raw('null') },
    { kind: 'array body', value: new Raw('[]') },
    { kind: 'string body', value: new Raw('"x"') },
    { kind: 'number body', value: new Raw('1') },
    { kind: 'empty body', value: new Raw('') },
    { kind: 'truncated JSON', value: new Raw('{"a":') },
    { kind: 'trailing comma', value: new Raw('{"a":1,}') },
    { kind: 'not JSON', value: new Raw('not json') },
    { kind: 'BOM + {}', value: new Raw('\ufeff{}') },
    { kind: 'nested 5000 deep array body', value: b.deepArray },
    { kind: 'nested 5000 deep object body', value: b.deepObject },
    { kind: '__proto__ body', value: new Raw('{"__proto__":{"isPlatformAdmin":true}}') },
  ];
}

const PLACE = '\u0001raw\u0001';
const PLACE_JSON = JSON.stringify(PLACE);
const KEY = '\u0001key\u0001';
const KEY_JSON = JSON.stringify(KEY);

/** JSON text of `body` with the raw value (if any) and the raw key (if any) spliced in. */
function render(body: unknown, raw?: Raw, key?: string): string {
  let text = JSON.stringify(body);
  if (raw) text = text.split(PLACE_JSON).join(raw.text);
  if (key !== undefined) text = text.split(KEY_JSON).join(JSON.stringify(key));
  return text;
}

/** A deep copy of a small JSON body with `value` at `path` (containers made as needed). */
function withAt(body: Record<string, unknown>, path: string[], value: unknown): unknown {
  const copy = structuredClone(body);
  let at: Record<string, unknown> = copy;
  for (let i = 0; i < path.length - 1; i++) {
    const next = at[path[i]];
    if (typeof next !== 'object' || next === null)
      at[path[i]] = /^\d+$/.test(path[i + 1]) ? [] : {};
    at = at[path[i]] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

/** The object at `path` inside body (made if absent), for adding keys. */
function objectAt(body: unknown, path: string[]): Record<string, unknown> {
  let at = body as Record<string, unknown>;
  for (let i = 0; i < path.length; i++) {
    const next = at[path[i]];
    if (typeof next !== 'object' || next === null)
      at[path[i]] = /^\d+$/.test(path[i + 1] ?? '') ? [] : {};
    at = at[path[i]] as Record<string, unknown>;
  }
  return at;
}

function nullEverywhere(s: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    out[k] = v.type === 'array' && v.items?.properties ? [nullEverywhere(v.items)] : null;
  }
  return out;
}

type BodyPart = Omit<FuzzCase, 'op' | 'url' | 'pathKind'>;

/** The body mutations of an operation that takes a body. */
function bodyArb(op: Operation, s: Schema, pool: IdPool): fc.Arbitrary<BodyPart> {
  const base = objectArb(s, pool);
  const fields = fieldsOf(s);
  const parents = [[], ...fields.filter((f) => f.schema.properties).map((f) => f.path)];
  for (const f of fields)
    if (f.schema.type === 'array' && f.schema.items?.properties) parents.push([...f.path, '0']);
  const text = (v: unknown, raw?: Raw, key?: string) => () => render(v, raw, key);
  const arbs: { weight: number; arbitrary: fc.Arbitrary<BodyPart> }[] = [];
  arbs.push({
    weight: 2,
    arbitrary: base.map((b) => ({ body: text(b), where: '-', kind: 'valid-ish', invalid: false })),
  });
  if (fields.length > 0) {
    const general = generalHostiles();
    const withValues = fields.map((f) => {
      const name = f.path[f.path.length - 1];
      const validItem = fc.sample(validArb(f.schema.items ?? {}, name, pool), {
        seed: 1,
        numRuns: 1,
      })[0];
      const catalog = [...general, ...schemaHostiles(f.schema, validItem)];
      return fc.tuple(
        fc.constant(f),
        fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...catalog) },
          { weight: 1, arbitrary: randomHostile },
        ),
      );
    });
    const fieldCase = fc.tuple(fc.oneof(...withValues), base).map(([[f, h], b]): BodyPart => {
      const raw = h.value instanceof Raw ? h.value : undefined;
      const body = withAt(b, f.path, raw ? PLACE : h.value);
      return {
        body: text(body, raw),
        where: f.path.join('.'),
        kind: h.kind,
        invalid: violates(f.schema, h.value, f.required),
      };
    });
    arbs.push({ weight: 10, arbitrary: fieldCase });
  }
  const required = fields.filter((f) => f.required);
  if (required.length > 0) {
    arbs.push({
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...required), base).map(([f, b]) => ({
        body: text(withAt(b, f.path, undefined)),
        where: f.path.join('.'),
        kind: 'missing required field',
        invalid: true,
      })),
    });
  }
  const keyCase = (
    keys: fc.Arbitrary<string>,
    value: fc.Arbitrary<unknown>,
    kind: (k: string) => string,
  ) =>
    fc.tuple(fc.constantFrom(...parents), keys, value, base).map(([at, key, v, b]) => {
      const body = structuredClone(b);
      objectAt(body, at)[KEY] = v;
      return {
        body: text(body, undefined, key),
        where: [...at, key].join('.'),
        kind: kind(key),
        invalid: true,
      };
    });
  // An extra key the document does not declare (the API refuses unknown fields).
  const declared = new Set(fields.map((f) => f.path[f.path.length - 1]));
  arbs.push({
    weight: 1,
    arbitrary: keyCase(
      fc.oneof(fc.constantFrom('isPlatformAdmin', 'id', 'organization_id', ''), fc.string()),
      fc.oneof(fc.constant(true), fc.jsonValue({ maxDepth: 2 })),
      () => 'extra key',
    ).filter((c) => !declared.has(c.where.split('.').pop() ?? '')),
  });
  arbs.push({
    weight: 1,
    arbitrary: keyCase(
      fc.constantFrom('__proto__', 'constructor', 'prototype'),
      fc.constantFrom({ isPlatformAdmin: true }, { prototype: { x: 1 } }, 1, null),
      (k) => `${k} key`,
    ),
  });
  // The same key twice: the raw text holds a declared key a second time.
  if (fields.length > 0) {
    arbs.push({
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...fields), randomHostile, base).map(([f, h, b]) => {
        const at = f.path.slice(0, -1);
        const body = structuredClone(b);
        objectAt(body, at)[KEY] = h.value;
        return {
          body: text(body, undefined, f.path[f.path.length - 1]),
          where: f.path.join('.'),
          kind: `duplicated key, ${h.kind}`,
          invalid: false,
        };
      }),
    });
  }
  arbs.push({
    weight: 1,
    arbitrary: fc.constant({
      body: text(nullEverywhere(s)),
      where: 'body',
      kind: 'null everywhere',
      invalid: fields.some((f) => f.required && !f.schema.nullable),
    }),
  });
  arbs.push({
    weight: 1,
    arbitrary: fc.constantFrom(...hostileWholeBodies()).map((h) => ({
      body: () => (h.value as Raw).text,
      where: 'body',
      kind: h.kind,
      // A parser may skip a byte order mark (RFC 8259): "{}" may then be a right body.
      invalid: !h.kind.startsWith('BOM'),
    })),
  });
  return fc.oneof(...arbs);
}

/** What an operation without a body schema gets: mostly no body, sometimes a hostile one. */
function noBodyArb(): fc.Arbitrary<BodyPart> {
  const none: BodyPart = { where: '-', kind: 'no body', invalid: false };
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(none) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...hostileWholeBodies()).map((h) => ({
        body: () => (h.value as Raw).text,
        where: 'body',
        kind: h.kind,
        invalid: false,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => ({
        body: () => JSON.stringify(v) ?? 'null',
        where: 'body',
        kind: `unexpected body ${shortJson(v)}`,
        invalid: false,
      })),
    },
  );
}

/** The cases of one operation. */
export function caseArb(op: Operation, pool: IdPool): fc.Arbitrary<FuzzCase> {
  const params = op.pathParams.map((p) => pathParamArb(op, p, pool));
  const body = op.body ? bodyArb(op, op.body, pool) : noBodyArb();
  return fc.tuple(fc.tuple(...params), body).map(([values, b]) => {
    let url = op.path;
    op.pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, values[i].seg)));
    const pathKind = op.pathParams.map((p, i) => `${p.name}=${values[i].label}`).join(',');
    return { op, url, pathKind, ...b, invalid: b.invalid || values.some((v) => v.invalid) };
  });
}

/** The cases of one operation under a seed (replayable: the same seed, the same cases). */
export function casesOf(op: Operation, pool: IdPool, seed: number, runs: number): FuzzCase[] {
  return fc.sample(caseArb(op, pool), { seed, numRuns: runs });
}

// ---------------------------------------------------------------------------
// Sending

export interface Answer {
  status: number;
  text: string;
  /** A connection error or a timeout instead of an answer. */
  error?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** One request over a keep-alive connection; bodies go as sent (GET and DELETE too). */
export function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
  timeoutMs = 20_000,
): Promise<Answer> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (a: Answer) => {
      if (!done) {
        done = true;
        resolve(a);
      }
    };
    const h: Record<string, string | number> = { ...headers };
    if (body !== undefined) {
      h['content-type'] = 'application/json';
      h['content-length'] = Buffer.byteLength(body);
    }
    let req: http.ClientRequest;
    try {
      req = http.request({ host: '127.0.0.1', port, method, path, headers: h, agent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          // Only the start of an answer is ever looked at.
          if (size < 4096) chunks.push(c);
          size += c.length;
        });
        res.on('end', () =>
          finish({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (e) =>
          finish({ status: res.statusCode ?? 0, text: '', error: String(e.message) }),
        );
      });
    } catch (e) {
      finish({ status: 0, text: '', error: `request not made: ${String(e)}`.slice(0, 200) });
      return;
    }
    req.setTimeout(timeoutMs, () => {
      finish({ status: 0, text: '', error: `no answer in ${timeoutMs} ms` });
      req.destroy();
    });
    req.on('error', (e) => finish({ status: 0, text: '', error: e.message }));
    req.end(body);
  });
}

export function closeAgent(): void {
  agent.destroy();
}

// ---------------------------------------------------------------------------
// Judging

/** The error body's code and parameter, if the answer is JSON. */
function errorBody(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * A health check's documented 503 with its report ({ status: "error", details }):
 * the answer of a probe (an api process sees no live worker), not a failure.
 */
function healthReport(op: Operation, a: Answer): boolean {
  const b = errorBody(a.text) as { status?: unknown; details?: unknown };
  return (
    a.status === 503 &&
    op.documented.includes(503) &&
    b.status === 'error' &&
    typeof b.details === 'object'
  );
}

/** The keys of the API's error body (ApiErrorBody). */
const ERROR_KEYS = ['statusCode', 'code', 'message', 'parameter'];

/** Why an answer is wrong (undefined: it is right). */
export function judge(c: FuzzCase, a: Answer): string | undefined {
  if (a.error !== undefined) return `no answer: ${a.error}`;
  if (a.status >= 500 && !healthReport(c.op, a)) return 'a 5xx';
  if (a.status >= 200 && a.status < 300 && c.invalid) return 'accepted an invalid request';
  if (a.status >= 400 && a.status < 500) {
    const b = errorBody(a.text);
    if (typeof b.code !== 'string' || b.code === '') return '4xx without a code';
    if (/^AUTH_TOKEN/.test(b.code)) return 'the privileged token stopped working';
    if (b.statusCode !== a.status) return '4xx whose statusCode is not the status';
    const extra = Object.keys(b).filter((k) => !ERROR_KEYS.includes(k));
    if (extra.length > 0) return `4xx not in the error shape (${extra.join(', ')})`;
    const fieldFault = a.status === 400 && /^(VALIDATION_|BODY_|INVALID_ID)/.test(b.code);
    if (fieldFault && (typeof b.parameter !== 'string' || b.parameter === ''))
      return `${b.code} without a parameter`;
    if (b.parameter !== undefined && typeof b.parameter !== 'string')
      return 'parameter is not a string';
  }
  return undefined;
}

/** A short line about a case and its answer (never the body itself). */
export function describeCase(c: FuzzCase, a: Answer, why: string): string {
  const path = c.pathKind ? ` [${c.pathKind}]` : '';
  const answer = a.error ?? a.text.replace(/\s+/g, ' ').slice(0, 200);
  return `${c.op.label}${path} ${c.where}: ${c.kind} → ${a.status} ${why}: ${answer}`;
}
