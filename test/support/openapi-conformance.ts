/** Checks answers against the served OpenAPI document's schemas (the subset Postroom uses). */

export interface Schema {
  $ref?: string;
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  nullable?: boolean;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, { content?: object }> }>>;
  components: { schemas: Record<string, Schema> };
}

function resolve(doc: OpenApiDocument, s: Schema): Schema {
  if (!s.$ref) return s;
  const name = s.$ref.replace('#/components/schemas/', '');
  const found = doc.components.schemas[name];
  if (!found) throw new Error(`unresolved ${s.$ref}`);
  return resolve(doc, found);
}

/** The answer schema of an operation's status, or undefined. */
export function answerSchema(
  doc: OpenApiDocument,
  path: string,
  method: string,
  status: number,
): Schema | undefined {
  const content = doc.paths[path]?.[method]?.responses[String(status)]?.content as
    Record<string, { schema?: Schema }> | undefined;
  return content?.['application/json']?.schema;
}

/**
 * Where a value breaks a schema: types, nullability, enums, required and, for
 * objects with declared properties, undeclared fields. Empty when it conforms.
 */
export function problems(doc: OpenApiDocument, value: unknown, schema: Schema, at = '$'): string[] {
  const s = resolve(doc, schema);
  if (s.allOf) {
    const all = s.allOf.map((x) => resolve(doc, x));
    if (value === null && s.nullable) return [];
    const merged: Schema = {
      type: 'object',
      properties: Object.assign({}, ...all.map((x) => x.properties ?? {})) as Record<
        string,
        Schema
      >,
      required: all.flatMap((x) => x.required ?? []),
    };
    return problems(doc, value, merged, at);
  }
  if (s.oneOf) {
    const fits = s.oneOf.filter((x) => problems(doc, value, x, at).length === 0);
    return fits.length === 1
      ? []
      : [`${at}: ${JSON.stringify(value)} fits ${fits.length} of oneOf`];
  }
  if (value === null) return s.nullable ? [] : [`${at}: null, not nullable`];
  if (s.enum && !s.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in enum`];
  switch (s.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${at}: ${typeof value}, not string`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: ${typeof value}, not boolean`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at}: ${typeof value}, not number`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: ${JSON.stringify(value)}, not integer`];
    case 'array':
      if (!Array.isArray(value)) return [`${at}: not an array`];
      return value.flatMap((v, i) => (s.items ? problems(doc, v, s.items, `${at}[${i}]`) : []));
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`];
      const o = value as Record<string, unknown>;
      const out: string[] = [];
      for (const k of s.required ?? []) if (!(k in o)) out.push(`${at}.${k}: missing`);
      const props = s.properties;
      for (const [k, v] of Object.entries(o)) {
        const p = props?.[k];
        if (p) out.push(...problems(doc, v, p, `${at}.${k}`));
        else if (props && s.additionalProperties !== true && !s.additionalProperties) {
          out.push(`${at}.${k}: not declared`);
        }
      }
      return out;
    }
    case undefined:
      return [];
  }
}
