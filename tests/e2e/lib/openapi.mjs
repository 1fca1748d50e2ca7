// Validates Frontend API answers against the OpenAPI spec (fapi-openapi.json) with Ajv.
//
//   import { loadSpec, specValidator, specCopyDiffers } from './lib/openapi.mjs';
//   const spec = loadSpec();                       // tests/e2e/fixtures/fapi-openapi.json
//   const check = specValidator(spec);
//   check({ method: 'POST', path: '/v1/client/sign_ins', status: 200, body });
//   // -> [] or ['POST /v1/client/sign_ins 200: /client/sessions/0/status: must be ... (#/...)']
//   specCopyDiffers();                             // the committed copy vs ../shared/reference
//
// OpenAPI 3.0 against JSON Schema: `nullable: true` admits null whatever else the schema
// says (its `allOf` included), so each such schema becomes `anyOf: [{type: null}, rest]`;
// `$ref`s point into `components.schemas` of the same document; `format: int64` comes from
// ajv-formats; vendor keywords (`x-…`), `example`, `discriminator` are annotations. The
// `$ref` properties lib/spec-nulls.mjs lists may be null too.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ROOT } from './paths.mjs';
import { NULLABLE_REFS } from './spec-nulls.mjs';

/** The committed copy of the spec. */
export const SPEC_COPY = join(ROOT, 'tests', 'e2e', 'fixtures', 'fapi-openapi.json');
/** The reference spec beside the repository (the workspace's and CI's `shared/`). */
export const SPEC_REFERENCE = join(ROOT, '..', 'shared', 'reference', 'fapi-openapi.json');

export function loadSpec(file = SPEC_COPY) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Whether the committed copy differs from the reference spec: `null` when the reference
 * is not there, else `true`/`false`. */
export function specCopyDiffers() {
  if (!existsSync(SPEC_REFERENCE)) return null;
  return readFileSync(SPEC_REFERENCE, 'utf8') !== readFileSync(SPEC_COPY, 'utf8');
}

/** OpenAPI 3.0's `nullable` as JSON Schema, recursively. */
function toJsonSchema(schema) {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'nullable' || k === 'example' || k === 'discriminator' || k.startsWith('x-')) continue;
    // `properties` maps names to schemas; an `enum` or `default` holds values.
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v).map(([n, s]) => [n, toJsonSchema(s)]));
    else if (k === 'enum' || k === 'default') out[k] = v;
    else out[k] = toJsonSchema(v);
  }
  if (schema.nullable === true) {
    const { description, deprecated, ...rest } = out;
    return { description, deprecated, anyOf: [{ type: 'null' }, rest] };
  }
  return out;
}

/** `components.schemas` as JSON Schema, with NULLABLE_REFS applied. */
function jsonSchemas(spec) {
  const schemas = structuredClone(spec.components.schemas);
  for (const { schema, property } of NULLABLE_REFS) {
    const prop = schemas[schema]?.properties?.[property];
    if (!prop || !prop.$ref) throw new Error(`spec-nulls: ${schema}.${property} is not a $ref property of the spec`);
    schemas[schema].properties[property] = { anyOf: [{ type: 'null' }, { $ref: prop.$ref }] };
  }
  return Object.fromEntries(Object.entries(schemas).map(([n, s]) => [n, toJsonSchema(s)]));
}

/** The spec's path template matching a concrete path (`/v1/client/sessions/sess_1/touch`
 * -> `/v1/client/sessions/{session_id}/touch`), or undefined. */
export function specPath(spec, path) {
  return Object.keys(spec.paths).find((template) => {
    const re = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return re.test(path);
  });
}

/**
 * A checker of answers: `check({method, path, status, body})` -> a list of problems, each
 * `METHOD path status: field: message (schema: rule)`; `[]` when the body conforms to the
 * schema the spec names for that path, method and status (else its `default`). An answer
 * the spec gives no schema for is a problem too (`no schema in the spec`), unless listed
 * in `undescribed` as `METHOD template` (what the spec leaves out, said elsewhere).
 *
 * @param {object} spec
 * @param {{ undescribed?: string[] }} [options]
 */
export function specValidator(spec, options = {}) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'fapi', components: { schemas: jsonSchemas(spec) } });
  const compiled = new Map();
  const undescribed = new Set(options.undescribed || []);

  function schemaRef(template, method, status) {
    const op = spec.paths[template]?.[method.toLowerCase()];
    if (!op) return { missing: `${method} ${template} is not in the spec` };
    let answer = op.responses[String(status)] || op.responses.default;
    if (!answer) return { missing: `status ${status} is not in the spec's responses` };
    if (answer.$ref) answer = spec.components.responses[answer.$ref.split('/').pop()];
    const schema = answer?.content?.['application/json']?.schema;
    if (!schema) return { missing: 'no schema in the spec' };
    if (!schema.$ref) return { inline: schema, key: `${method} ${template} ${status}` };
    return { ref: `fapi${schema.$ref}`, key: schema.$ref };
  }

  const schemas = jsonSchemas(spec);
  /** The name of the last component schema crossed on the way to `instancePath` from the
   * schema `name` (for the messages: `Client.Session` rather than `#/anyOf/1/required`). */
  function schemaAt(name, instancePath) {
    let current = name;
    let schema = schemas[name];
    const enter = (s) => {
      for (let i = 0; i < 20 && s; i++) {
        if (s.$ref) {
          current = s.$ref.split('/').pop();
          s = schemas[current];
        } else {
          const branches = [...(s.allOf || []), ...(s.anyOf || []), ...(s.oneOf || [])].filter((b) => b.type !== 'null');
          if (s.properties || s.items || branches.length !== 1) return s;
          s = branches[0];
        }
      }
      return s;
    };
    for (const seg of instancePath.split('/').slice(1)) {
      schema = enter(schema);
      if (!schema) break;
      const branches = [schema, ...(schema.allOf || []), ...(schema.anyOf || []), ...(schema.oneOf || [])].map(enter);
      const next = branches.find((b) => b?.properties?.[seg]) || branches.find((b) => b?.items);
      if (!next) break;
      schema = next.properties?.[seg] || next.items;
    }
    enter(schema);
    return current;
  }

  return function check({ method, path, status, body }) {
    const where = `${method} ${path} ${status}`;
    const template = specPath(spec, path);
    if (!template) return [`${where}: the path is not in the spec`];
    if (undescribed.has(`${method} ${template}`)) return [];
    const found = schemaRef(template, method, status);
    if (found.missing) return [`${where}: ${found.missing}`];
    if (!compiled.has(found.key)) {
      compiled.set(found.key, found.ref ? ajv.getSchema(found.ref) : ajv.compile({ $ref: '#/x', x: toJsonSchema(found.inline), $id: `inline:${found.key}` }));
    }
    const validate = compiled.get(found.key);
    if (validate(body)) return [];
    // A nullable schema's failure repeats as "must be null" and "must match a schema in
    // anyOf"; the other branch's errors say what is wrong.
    const errors = validate.errors.filter((e) => !(e.keyword === 'type' && e.params.type === 'null') && e.keyword !== 'anyOf');
    return (errors.length ? errors : validate.errors).map((e) => {
      const detail = e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : '';
      const field = e.instancePath || '/';
      const rule = found.ref ? `${schemaAt(found.key.split('/').pop(), e.instancePath)} ${e.schemaPath}` : e.schemaPath;
      return `${where}: ${field}: ${e.message}${detail} (${rule})`;
    });
  };
}
