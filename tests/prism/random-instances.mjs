// Random instances of the spec's schemas, for the SDK's property tests (`tests/random.rs` and the
// request side of `tests/contract.rs`).
//
//   node random-instances.mjs WIRE_SPEC OUTPUT [--seeds 1,2,3] [--count 100] [--targets schemas]
//
// WIRE_SPEC is `cargo run -p generator -- wire-spec` (the spec as the SDK reads the wire). For every
// component schema, and for every JSON request body of an operation, and for every seed, it asks
// json-schema-faker (the generator Prism uses for dynamic responses) for instances until COUNT are
// kept, keeping those that Ajv, with OpenAPI 3.0's `nullable` and formats, accepts against the same
// document: an instance the spec itself refuses says nothing about the SDK. OUTPUT gets one JSON object a line:
// `{"schema": KEY}` or `{"operation": ID}`, with `seed`, `index` and `value`. The counts of generated
// and kept instances go to standard error.
//
// `--targets` is `schemas`, `operations` or `all` (the default). Each (seed, schema) pair has its own
// random stream, so the instances of one schema do not change when another schema is added to the
// spec, and a failure is reproduced by its seed alone. With RANDOM_INSTANCES_EXPLAIN=1 in the
// environment, the validator's reasons for the first refusal of each target are printed.

import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { JSONSchemaFaker } from 'json-schema-faker';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

function usage(message) {
  process.stderr.write(`${message}\nusage: node random-instances.mjs WIRE_SPEC OUTPUT [--seeds 1,2,3] [--count N] [--targets schemas|operations|all]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const positional = [];
const options = { seeds: '1', count: '10', targets: 'all' };
for (let i = 0; i < args.length; i++) {
  if (args[i].startsWith('--')) {
    const name = args[i].slice(2);
    if (!(name in options) || i + 1 >= args.length) usage(`unknown or incomplete option ${args[i]}`);
    options[name] = args[++i];
  } else {
    positional.push(args[i]);
  }
}
if (positional.length !== 2) usage('expected WIRE_SPEC and OUTPUT');
const [specPath, outputPath] = positional;
const seeds = options.seeds.split(',').map((s) => s.trim()).filter((s) => s !== '');
const count = Number.parseInt(options.count, 10);
if (!seeds.length || !(count > 0)) usage('--seeds needs at least one seed and --count a positive number');
if (!['schemas', 'operations', 'all'].includes(options.targets)) usage(`unknown --targets ${options.targets}`);
const wantSchemas = options.targets !== 'operations';
const wantOperations = options.targets !== 'schemas';

const spec = JSON.parse(readFileSync(specPath, 'utf8'));

// The validator: Ajv understands OpenAPI 3.0's `nullable` (it adds `null` to the schema's `type`)
// and, through ajv-formats, the `int32`, `int64`, `float`, `double`, `date-time` and `uuid` formats.
// Strict mode is off because OpenAPI schemas carry keywords JSON Schema does not know (`example`).
const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
addFormats(ajv);
ajv.addSchema(spec, 'wire');

// json-schema-faker does not read `nullable`; in its copy of the document a nullable schema lists
// `null` among its types, so that nulls are generated too (the validator keeps the original).
function nullsAsTypes(node, inProperties = false) {
  if (Array.isArray(node)) return node.map((item) => nullsAsTypes(item));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    // Prose and examples do not shape the instances, and leaving them out of the generator's copy
    // halves the time it spends walking schemas. A property named like one of these keywords is
    // still kept: under `properties` every key is a name.
    if (['description', 'example', 'examples', 'title'].includes(key) && !inProperties) continue;
    out[key] = nullsAsTypes(value, key === 'properties');
  }
  if (out.nullable === true && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    delete out.nullable;
  }
  return out;
}
const fakerComponents = nullsAsTypes(spec.components ?? {});

// FNV-1a: a stable 32-bit hash of the (seed, name) pair that seeds its stream.
function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

// mulberry32: a small deterministic generator with uniform output in [0, 1).
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function escapePointer(segment) {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

// What to generate: every component schema, and every JSON request body by operationId.
const targets = [];
for (const key of wantSchemas ? Object.keys(spec.components?.schemas ?? {}).sort() : []) {
  targets.push({ label: { schema: key }, pointer: `/components/schemas/${escapePointer(key)}` });
}
const paths = wantOperations ? Object.entries(spec.paths ?? {}) : [];
for (const [path, item] of paths.sort(([a], [b]) => (a < b ? -1 : 1))) {
  for (const [method, op] of Object.entries(item).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const schema = op?.requestBody?.content?.['application/json']?.schema;
    if (!schema || !op.operationId) continue;
    const pointer = `/paths/${escapePointer(path)}/${method}/requestBody/content/application~1json/schema`;
    targets.push({ label: { operation: op.operationId }, pointer });
  }
}

// The component schemas a schema refers to, directly or through others: json-schema-faker walks the
// whole root it is given on every call, so each target gets a root with only what it needs.
function reachable(schema, components) {
  const keys = new Set();
  const stack = [schema];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      stack.push(...node);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'example' || key === 'examples') continue;
        const prefix = '#/components/schemas/';
        if (key === '$ref' && typeof value === 'string' && value.startsWith(prefix)) {
          const target = value.slice(prefix.length).replaceAll('~1', '/').replaceAll('~0', '~');
          if (!keys.has(target) && components.schemas?.[target] !== undefined) {
            keys.add(target);
            stack.push(components.schemas[target]);
          }
        } else {
          stack.push(value);
        }
      }
    }
  }
  return { schemas: Object.fromEntries([...keys].sort().map((k) => [k, components.schemas[k]])) };
}

function at(root, pointer) {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((node, segment) => node?.[segment], root);
}

// Instances are written as they are made: a run holds more than a hundred megabytes of them.
const output = openSync(outputPath, 'w');
let written = 0;
let generated = 0;
let refused = 0;
let failed = 0;
const refusedBy = new Map();
for (const target of targets) {
  const validate = ajv.getSchema(`wire#${target.pointer}`);
  const schema = nullsAsTypes(at(spec, target.pointer));
  const fakerRoot = { ...schema, components: reachable(schema, fakerComponents) };
  const name = target.label.schema ?? target.label.operation;
  for (const seed of seeds) {
    const random = mulberry32(hash(`${seed}:${name}`));
    // json-schema-faker builds a `uuid` from a regular expression on every call, which was most of
    // its time here; this draws the same uniformly random lowercase UUIDs from the seeded stream.
    JSONSchemaFaker.format('uuid', () =>
      [8, 4, 4, 4, 12]
        .map((n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join(''))
        .join('-'),
    );
    JSONSchemaFaker.option({
      random,
      // Optional members are present about half of the time, so both their presence and their
      // absence are exercised; no members beyond the schema's, which the SDK would rightly drop.
      alwaysFakeOptionals: false,
      optionalsProbability: 0.5,
      fillProperties: false,
      useExamplesValue: false,
      useDefaultValue: false,
      maxItems: 3,
      failOnInvalidTypes: false,
      failOnInvalidFormat: false,
    });
    // COUNT instances are kept per seed when the validator allows: json-schema-faker gives up on
    // a `$ref` it has expanded a few times and leaves out its required members, so a schema that
    // repeats references has more of its instances refused, and gets more attempts (up to 4x).
    let kept = 0;
    for (let index = 0; kept < count && index < 4 * count; index++) {
      generated++;
      let value;
      try {
        value = JSONSchemaFaker.generate(structuredClone(fakerRoot));
      } catch (error) {
        failed++;
        process.stderr.write(`json-schema-faker failed on ${name} (seed ${seed}): ${error.message}\n`);
        continue;
      }
      if (!validate(value)) {
        if (process.env.RANDOM_INSTANCES_EXPLAIN && !refusedBy.has(name)) {
          process.stderr.write(`${name} refused: ${JSON.stringify(validate.errors)}\n  ${JSON.stringify(value)}\n`);
        }
        refused++;
        refusedBy.set(name, (refusedBy.get(name) ?? 0) + 1);
        continue;
      }
      kept++;
      written++;
      writeSync(output, `${JSON.stringify({ ...target.label, seed, index, value })}\n`);
    }
  }
}
closeSync(output);
const top = [...refusedBy.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
process.stderr.write(
  `random instances: ${targets.length} targets, seeds ${seeds.join(',')}, ` +
    `${generated} generated, ${written} kept, ${refused} refused by the validator` +
    `${top.length ? ` (most: ${top.map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}, ${failed} generator failures\n`,
);
