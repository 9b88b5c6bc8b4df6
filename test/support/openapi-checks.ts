import { getMetadataStorage } from 'class-validator';

/**
 * Checks of the OpenAPI document the API serves: that every request field and parameter is
 * documented well enough to be used without reading the code, and that each example satisfies
 * what its own schema says.
 */

export interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  description?: string;
  example?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  nullable?: boolean;
}

export interface Parameter {
  name: string;
  in: string;
  description?: string;
  example?: unknown;
  schema?: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const refName = (ref: string): string => ref.replace('#/components/schemas/', '');

/** The schema a property points at, if it is (or lists) another object. */
export function referencedSchema(property: Schema): string | undefined {
  const ref = property.$ref ?? property.allOf?.find((part) => part.$ref)?.$ref ?? property.items?.$ref;
  return ref === undefined ? undefined : refName(ref);
}

/** Whether the schema says what a valid value looks like beyond "a string". */
function isConstrained(schema: Schema): boolean {
  if (schema.format !== undefined || schema.pattern !== undefined || schema.enum !== undefined) return true;
  if (schema.type === 'integer' || schema.type === 'boolean') return true;
  if (referencedSchema(schema) !== undefined) return true;
  return schema.type === 'array' && schema.items !== undefined && isConstrained(schema.items);
}

/** Whether an example satisfies its schema's own pattern, enum, bounds and lengths (what a client would check). */
export function exampleBreaks(schema: Schema, example: unknown): string | undefined {
  if (schema.type === 'array' && Array.isArray(example) && schema.items !== undefined) {
    for (const entry of example) {
      const broken = exampleBreaks(schema.items, entry);
      if (broken !== undefined) return broken;
    }
    return undefined;
  }
  if (schema.enum !== undefined && !schema.enum.includes(example)) return `${JSON.stringify(example)} is not one of the enum`;
  if (typeof example === 'string') {
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(example)) return `${JSON.stringify(example)} breaks the pattern`;
    if (schema.minLength !== undefined && example.length < schema.minLength) return 'shorter than minLength';
    if (schema.maxLength !== undefined && example.length > schema.maxLength) return 'longer than maxLength';
  }
  if (typeof example === 'number') {
    if (schema.type === 'integer' && !Number.isInteger(example)) return `${example} is not an integer`;
    if (schema.minimum !== undefined && example < schema.minimum) return `${example} is below the minimum`;
    if (schema.maximum !== undefined && example > schema.maximum) return `${example} is above the maximum`;
  }
  return undefined;
}

/** The request body schemas, by operation (`POST /seizures`) and schema name. */
export function requestBodies(document: OpenApiDocument, skip: (path: string) => boolean): Array<[string, string]> {
  const bodies: Array<[string, string]> = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    if (skip(path)) continue;
    for (const [method, operation] of Object.entries(operations)) {
      const schema = operation.requestBody?.content['application/json']?.schema;
      if (schema?.$ref !== undefined) bodies.push([`${method.toUpperCase()} ${path}`, refName(schema.$ref)]);
    }
  }
  return bodies;
}

/** Every property of a schema and of the schemas it nests, each named by where it is found. */
export function undocumentedProperties(document: OpenApiDocument, root: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const [key, property] of Object.entries(document.components.schemas[name]?.properties ?? {})) {
      const where = `${name}.${key}`;
      if (!property.description) problems.push(`${where}: no description`);
      if (property.example === undefined) problems.push(`${where}: no example`);
      if (!isConstrained(property)) problems.push(`${where}: no format, pattern, enum, integer or boolean type`);
      const broken = property.example === undefined ? undefined : exampleBreaks(property, property.example);
      if (broken !== undefined) problems.push(`${where}: its example ${broken}`);
      const nested = referencedSchema(property);
      if (nested !== undefined) visit(nested);
    }
  };
  visit(root);
  return problems;
}

/** Every path and query parameter lacking a description, an example, or a constraint; or whose example breaks it. */
export function undocumentedParameters(document: OpenApiDocument, skip: (path: string) => boolean): string[] {
  const problems: string[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    if (skip(path)) continue;
    for (const [method, operation] of Object.entries(operations)) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in !== 'path' && parameter.in !== 'query') continue;
        const where = `${method.toUpperCase()} ${path} ${parameter.in} ${parameter.name}`;
        const schema = parameter.schema ?? {};
        const example = parameter.example ?? schema.example;
        if (!parameter.description) problems.push(`${where}: no description`);
        if (example === undefined) problems.push(`${where}: no example`);
        if (!isConstrained(schema)) problems.push(`${where}: no format, pattern, enum, integer or boolean type`);
        const broken = example === undefined ? undefined : exampleBreaks(schema, example);
        if (broken !== undefined) problems.push(`${where}: its example ${broken}`);
      }
    }
  }
  return problems;
}

/** The properties class-validator checks on a declaration: each must be in its schema. */
export function missingFromSchema(document: OpenApiDocument, name: string, declaration: new () => object): string[] {
  const validated = getMetadataStorage()
    .getTargetValidationMetadatas(declaration, '', true, false)
    .map((metadata) => metadata.propertyName);
  const documented = Object.keys(document.components.schemas[name]?.properties ?? {});
  return [...new Set(validated)]
    .filter((property) => !documented.includes(property))
    .map((property) => `${name}.${property}: not in the document`);
}

/** The schema names a schema nests, itself included. */
export function nestedSchemas(document: OpenApiDocument, root: string): string[] {
  const names = new Set<string>([root]);
  for (const name of names) {
    for (const property of Object.values(document.components.schemas[name]?.properties ?? {})) {
      const nested = referencedSchema(property);
      if (nested !== undefined) names.add(nested);
    }
  }
  return [...names];
}
