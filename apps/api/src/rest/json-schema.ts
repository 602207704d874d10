import { z } from 'zod';

/** A JSON Schema (2020-12) object as zod produces it; only the keywords the facade reads are typed. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  description?: string;
  default?: unknown;
  [keyword: string]: unknown;
}

/**
 * The JSON Schema of a zod schema, as OpenAPI 3.1 takes it (JSON Schema 2020-12, without `$schema`).
 * `io: 'input'` describes what a client sends (defaults make fields optional); `'output'` what it receives.
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    // Transforms and the like have no JSON Schema; they are described as "anything" rather than failing.
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

/** The input of a procedure with several `.input()` parsers is all of them at once. */
export function inputJsonSchema(inputs: readonly z.ZodType[]): JsonSchema | null {
  if (inputs.length === 0) return null;
  const [first] = inputs;
  if (inputs.length === 1 && first) return toJsonSchema(first, 'input');
  return { allOf: inputs.map((input) => toJsonSchema(input, 'input')) };
}

export interface ObjectShape {
  properties: Record<string, JsonSchema>;
  required: Set<string>;
}

/** The properties of an object schema (merging `allOf` parts), for path, query and body fields. */
export function objectShape(schema: JsonSchema | null): ObjectShape {
  const shape: ObjectShape = { properties: {}, required: new Set() };
  if (!schema) return shape;
  for (const part of [schema, ...(schema.allOf ?? [])]) {
    Object.assign(shape.properties, part.properties ?? {});
    for (const name of part.required ?? []) shape.required.add(name);
  }
  return shape;
}

/** Every JSON type a schema admits, looking through `anyOf`/`oneOf` (zod's nullable and union). */
export function typesOf(schema: JsonSchema): Set<string> {
  const types = new Set<string>();
  const visit = (node: JsonSchema) => {
    if (typeof node.type === 'string') types.add(node.type);
    else if (Array.isArray(node.type)) for (const type of node.type) types.add(type);
    for (const member of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) visit(member);
  };
  visit(schema);
  return types;
}

/** The item schema of an array schema (looking through `anyOf`/`oneOf`), if any. */
export function itemsOf(schema: JsonSchema): JsonSchema | undefined {
  if (schema.items) return schema.items;
  for (const member of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) {
    const items = itemsOf(member);
    if (items) return items;
  }
  return undefined;
}
