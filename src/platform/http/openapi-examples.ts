import type { OpenAPIObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';

/**
 * Request schemas get a whole example body, put together from the examples of their fields (and
 * of the objects they nest), so Swagger UI offers a body that passes validation and a test can
 * send it. A nested object's field gets the nested example too. Fields are documented one by one
 * on the DTOs (Doc); nothing here invents a value.
 */
export function withComposedExamples(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  const composing = new Set<string>();

  const exampleOfRef = (ref: string): unknown => {
    const name = ref.replace('#/components/schemas/', '');
    const schema = schemas[name];
    if (schema === undefined || '$ref' in schema || composing.has(name)) return undefined;
    composing.add(name);
    const example = exampleOf(schema);
    composing.delete(name);
    if (example !== undefined) schema.example = example;
    return example;
  };

  const exampleOf = (schema: SchemaObject | ReferenceObject): unknown => {
    if ('$ref' in schema) return exampleOfRef(schema.$ref);
    if (schema.example !== undefined) return schema.example;
    const ref = schema.allOf?.find((part): part is ReferenceObject => '$ref' in part);
    if (ref !== undefined) return (schema.example = exampleOfRef(ref.$ref));
    if (schema.type === 'array' && schema.items !== undefined) {
      const item = exampleOf(schema.items);
      return item === undefined ? undefined : (schema.example = [item]);
    }
    if (schema.properties === undefined) return undefined;
    const entries = Object.entries(schema.properties).map(([key, property]) => [key, exampleOf(property)] as const);
    return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
  };

  for (const ref of requestBodyRefs(document)) exampleOfRef(ref);
  return document;
}

/** The schemas named as request bodies. */
export function requestBodyRefs(document: OpenAPIObject): string[] {
  const refs = new Set<string>();
  for (const operations of Object.values(document.paths)) {
    for (const operation of [operations.post, operations.put, operations.patch]) {
      const body = operation?.requestBody;
      const schema = body && 'content' in body ? body.content['application/json']?.schema : undefined;
      if (schema && '$ref' in schema) refs.add(schema.$ref);
    }
  }
  return [...refs];
}
