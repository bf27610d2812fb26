import type { ApiErrorBody } from './api-error';

/** Deepest nesting of arrays and objects a JSON body may have. */
export const BODY_MAX_DEPTH = 32;
/**
 * Most values (object members and array elements, at every level) a JSON body
 * may hold: a maximal batch (10,000 items of 7 fields) holds about 80,000.
 */
export const BODY_MAX_VALUES = 200_000;

/**
 * Keys that could reach an object's prototype once merged or assigned, and the
 * names every object inherits (`valueOf`, `toString`, `hasOwnProperty`, …):
 * class-transformer drops those while building a DTO, so the validation's
 * refusal of unknown keys never saw them and such a body was accepted with the
 * key silently ignored (found by the body fuzzer, seed 790083263).
 */
const PROTOTYPE_KEYS = new Set(['prototype', ...Object.getOwnPropertyNames(Object.prototype)]);

export interface JsonBodyLimits {
  maxDepth: number;
  maxValues: number;
}

export const DEFAULT_JSON_LIMITS: JsonBodyLimits = {
  maxDepth: BODY_MAX_DEPTH,
  maxValues: BODY_MAX_VALUES,
};

/** A refused body, as plain data: it crosses from the body-parse threads as it is. */
export class JsonBodyError extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
  }
}

const refuse = (code: string, message: string, parameter = 'body') =>
  new JsonBodyError({ statusCode: 400, code, message, parameter });

const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The deepest bracket nesting of a JSON text, stopping as soon as it passes
 * `max`: one pass over the characters, no recursion, strings skipped. Whether
 * the brackets match is left to JSON.parse; this only has to be right for
 * valid JSON and never deeper than the truth for invalid JSON.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string: a backslash escapes the next character.
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

/**
 * Counts the values of a parsed body (at most maxDepth deep, so recursion is
 * bounded) and refuses prototype keys, naming the path of the first one.
 */
function inspect(value: unknown, limits: JsonBodyLimits): void {
  let values = 0;
  const walk = (v: unknown, path: string): void => {
    if (typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) {
      values += v.length;
      if (values > limits.maxValues) throw tooMany(limits);
      for (let i = 0; i < v.length; i++) walk(v[i], path ? `${path}.${i}` : String(i));
      return;
    }
    const keys = Object.keys(v);
    values += keys.length;
    if (values > limits.maxValues) throw tooMany(limits);
    for (const key of keys) {
      const at = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) {
        throw refuse(
          'BODY_PROTOTYPE_KEY',
          `${at}: the key "${key}" is refused (a name every object inherits, or a way to its prototype)`,
          at,
        );
      }
      walk((v as Record<string, unknown>)[key], at);
    }
  };
  walk(value, '');
}

const tooMany = (limits: JsonBodyLimits) =>
  refuse(
    'BODY_TOO_MANY_VALUES',
    `body: holds more than ${limits.maxValues} values (object members and array elements)`,
  );

/**
 * Parses a JSON request body: empty or malformed 400 BODY_INVALID_JSON,
 * nested deeper than maxDepth 400 BODY_TOO_DEEP (checked on the text before
 * parsing, so nothing recurses that deep), more than maxValues values
 * 400 BODY_TOO_MANY_VALUES, a `__proto__`, `constructor` or `prototype` key, or
 * another name every object inherits (`valueOf`, `toString`, …), 400
 * BODY_PROTOTYPE_KEY naming its path. Throws JsonBodyError.
 */
export function parseJsonBody(text: string, limits: JsonBodyLimits = DEFAULT_JSON_LIMITS): unknown {
  if (text.trim() === '') {
    throw refuse('BODY_INVALID_JSON', 'body: is empty; send a JSON document');
  }
  if (jsonDepthExceeds(text, limits.maxDepth)) {
    throw refuse('BODY_TOO_DEEP', `body: is nested deeper than ${limits.maxDepth} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw refuse('BODY_INVALID_JSON', `body: is not valid JSON (${why})`);
  }
  inspect(value, limits);
  return value;
}
