import fastJsonStringify from 'fast-json-stringify';
import { z } from 'zod';
import type { JsonSchema } from './json-schema.ts';

/** A procedure's result written as the JSON body of its REST response. */
export type ResponseSerializer = (output: unknown) => string;

/**
 * Keywords that only say which values are valid, never how a valid value is written: a serialiser has no use for
 * them (fast-json-stringify would otherwise compile a validator for `anyOf` branches carrying them).
 */
const VALIDATION_ONLY = new Set([
  'pattern',
  'format',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'enum',
  'const',
  'propertyNames',
  'description',
  'title',
  'examples',
]);

const PRIMITIVE_TYPES = new Set(['string', 'number', 'integer', 'boolean']);

/** Thrown while reducing a schema that has something fast-json-stringify would not write exactly as zod does. */
class NotExact extends Error {}

/**
 * The schema reduced to what decides how a value is written: types, properties, items, additional properties, and
 * zod's nullable (`anyOf: [T, {type: 'null'}]`) as `type: [T, 'null']` for a primitive T. Throws {@link NotExact}
 * for anything else — unions (choosing a branch needs validation), references, tuples, defaults (zod would fill
 * in a missing value; a serialiser cannot), keywords it does not know.
 */
function reduce(node: JsonSchema): JsonSchema {
  const nullable = nullablePrimitive(node);
  if (nullable) return nullable;
  const reduced: JsonSchema = {};
  for (const [keyword, value] of Object.entries(node)) {
    if (VALIDATION_ONLY.has(keyword)) continue;
    switch (keyword) {
      case 'type':
        if (typeof value !== 'string' && !isNullablePrimitiveType(value)) throw new NotExact(keyword);
        reduced.type = value as string | string[];
        break;
      case 'required':
        reduced.required = value as string[];
        break;
      case 'properties':
        reduced.properties = Object.fromEntries(
          Object.entries(value as Record<string, JsonSchema>).map(([name, schema]) => [name, reduce(schema)]),
        );
        break;
      case 'items':
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new NotExact(keyword);
        reduced.items = reduce(value as JsonSchema);
        break;
      case 'additionalProperties':
        reduced.additionalProperties = typeof value === 'boolean' ? value : reduce(value as JsonSchema);
        break;
      default:
        throw new NotExact(keyword);
    }
  }
  // `{}` (any value) is written by JSON.stringify, as zod passes it through.
  return reduced;
}

function isNullablePrimitiveType(type: unknown): boolean {
  return (
    Array.isArray(type) &&
    type.length === 2 &&
    type.includes('null') &&
    type.some((member) => PRIMITIVE_TYPES.has(member as string))
  );
}

/** zod's `.nullable()` of a primitive, as one type list. */
function nullablePrimitive(node: JsonSchema): JsonSchema | null {
  const branches = node.anyOf;
  if (branches?.length !== 2) return null;
  if (Object.keys(node).some((keyword) => keyword !== 'anyOf' && !VALIDATION_ONLY.has(keyword))) return null;
  const nullIndex = branches.findIndex(
    (branch) => branch.type === 'null' && Object.keys(branch).length === 1,
  );
  const other = branches[1 - nullIndex];
  if (nullIndex === -1 || !other || typeof other.type !== 'string' || !PRIMITIVE_TYPES.has(other.type))
    return null;
  const reduced = reduce(other);
  return { ...reduced, type: [other.type, 'null'] };
}

/**
 * A serialiser compiled once from a procedure's output schema (fast-json-stringify), for the REST facade: it writes
 * the declared fields only, in one pass — what the output parser's stripping and JSON.stringify did, without
 * building the parsed copy (issue 17: the two took a tenth of a /tokens/self request). Null when the schema has
 * something it would not write exactly as zod does (a union, a transform, a default, a reference…): such a route
 * keeps the output parser and JSON.stringify. The /trpc surface always runs the output parser.
 */
export function compileResponseSerializer(output: z.ZodType): ResponseSerializer | null {
  let schema: JsonSchema;
  try {
    const { $schema: _dialect, ...json } = z.toJSONSchema(output, {
      target: 'draft-07',
      io: 'output',
      unrepresentable: 'throw',
    }) as JsonSchema;
    schema = reduce(json);
  } catch {
    return null;
  }
  return fastJsonStringify(schema as Parameters<typeof fastJsonStringify>[0]) as ResponseSerializer;
}
