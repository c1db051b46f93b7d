#!/usr/bin/env node
// ajv 8 (Ajv2020, strict mode at its defaults) + ajv-formats against the
// published schemas, exactly as they are on disk.
//
//   node ajv_check.cjs REPO_ROOT [--verbose]
//
// ajv-formats is needed because the schemas use `format: "date"` and
// `format: "date-time"`: in its default strict mode Ajv refuses to compile a
// schema with a format it does not know ("unknown format ... ignored in
// schema"), and Ajv itself ships no format validators. The run without
// ajv-formats is informational and never fails the check.
//
// Ajv's default strict mode throws for some findings (strictSchema: unknown
// keywords and formats) and only logs others (strictTypes, strictTuples:
// "log"). Logged warnings are counted on the summary line (listed with
// --verbose) and do not fail the check, as they do not fail Ajv's compile.
// `allErrors: true` only makes the failure details complete.
//
// Prints one summary line (plus one informational line for the run without
// ajv-formats); details only for failures, or for everything with --verbose.
// Exits 1 on any failure.
"use strict";

const path = require("path");
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");
const { entities, readJson, jsonFiles } = require("./common.cjs");

const root = process.argv[2];
const verbose = process.argv.includes("--verbose");
const failures = [];
const details = [];

// Strict mode stays at its defaults; only where Ajv's warnings go changes, so
// they can be counted and reported instead of spilling onto the console.
const warnings = [];
const logger = {
  log: () => {},
  warn: (...args) => warnings.push(args.join(" ")),
  error: (...args) => failures.push("ajv logged an error: " + args.join(" ")),
};

const ajv = new Ajv2020({ allErrors: true, logger });
addFormats(ajv);

const counts = { schemas: 0, embedded: 0, embeddedValid: 0, examples: 0, valid: 0, invalid: 0, rejected: 0 };

for (const entity of entities(root)) {
  let schema;
  try {
    schema = readJson(entity.schemaPath);
  } catch (e) {
    failures.push(`${entity.rel}: cannot read: ${e.message}`);
    continue;
  }
  let validate;
  try {
    validate = ajv.compile(schema);
    counts.schemas += 1;
  } catch (e) {
    failures.push(`${entity.rel}: does not compile: ${e.message}`);
    continue;
  }
  const errorsOf = (v) =>
    [...new Set((v.errors || []).map((e) => `${e.instancePath || "/"} ${e.message}`))].join("; ");

  // The `examples` the schema carries, at the root and in $defs.
  const embedded = [["", schema.examples || []]];
  for (const [name, def] of Object.entries(schema.$defs || {})) {
    if (Array.isArray(def.examples)) embedded.push([`#/$defs/${name}`, def.examples]);
  }
  for (const [pointer, docs] of embedded) {
    const v = pointer ? ajv.getSchema(schema.$id + pointer) : validate;
    if (!v) {
      failures.push(`${entity.rel}: ajv cannot resolve ${schema.$id}${pointer}`);
      continue;
    }
    docs.forEach((doc, i) => {
      counts.embedded += 1;
      if (v(doc)) counts.embeddedValid += 1;
      else failures.push(`${entity.rel} ${pointer || "#"}/examples/${i} fails its own schema: ${errorsOf(v)}`);
    });
  }

  const examples = jsonFiles(path.join(root, "schemas", "examples", entity.name));
  if (examples.length === 0) failures.push(`no examples in schemas/examples/${entity.name}/`);
  for (const file of examples) {
    counts.examples += 1;
    const rel = path.relative(root, file);
    let doc;
    try {
      doc = readJson(file);
    } catch (e) {
      failures.push(`${rel}: not JSON: ${e.message}`);
      continue;
    }
    if (validate(doc)) {
      counts.valid += 1;
      details.push(`valid    ${rel}`);
    }
    else failures.push(`${rel}: example rejected: ${errorsOf(validate)}`);
  }

  for (const file of jsonFiles(path.join(root, "tests", "fixtures", "schema", "invalid", entity.name))) {
    counts.invalid += 1;
    const rel = path.relative(root, file);
    let doc;
    try {
      doc = readJson(file);
    } catch (e) {
      failures.push(`${rel}: not JSON: ${e.message}`);
      continue;
    }
    if (validate(doc)) failures.push(`${rel}: invalid document ACCEPTED`);
    else {
      counts.rejected += 1;
      details.push(`rejected ${rel}: ${errorsOf(validate)}`);
    }
  }
}

// The same schemas without ajv-formats, for the record.
const plainErrors = [];
let plainCompiled = 0;
const plain = new Ajv2020({ logger: { log() {}, warn() {}, error() {} } });
for (const entity of entities(root)) {
  try {
    plain.compile(readJson(entity.schemaPath));
    plainCompiled += 1;
  } catch (e) {
    plainErrors.push(`${entity.rel}: ${e.message}`);
  }
}

const version = (p) => require(`${p}/package.json`).version;
const uniqueWarnings = [...new Set(warnings)];
const status = failures.length ? "FAIL" : "ok";
let line =
  `ajv ${version("ajv")} Ajv2020 + ajv-formats ${version("ajv-formats")}: ${status}: ` +
  `${counts.schemas}/${entities(root).length} schemas compile, ` +
  `${counts.valid}/${counts.examples} examples valid, ` +
  `${counts.rejected}/${counts.invalid} invalid fixtures rejected, ` +
  `${counts.embeddedValid}/${counts.embedded} examples embedded in the schemas valid`;
if (uniqueWarnings.length) line += `; ${uniqueWarnings.length} distinct strict-mode warnings (${summarizeWarnings(uniqueWarnings)})`;
console.log(line);
console.log(
  plainErrors.length
    ? `  without ajv-formats: ${plainErrors.length}/${entities(root).length} schemas do not compile in strict mode, e.g. ${plainErrors[0]}`
    : `  without ajv-formats: all ${plainCompiled} schemas compile (formats are then not checked)`,
);
if (verbose) {
  for (const w of uniqueWarnings) console.log(`  warning: ${w}`);
  for (const d of details) console.log(`  ${d}`);
  for (const e of plainErrors.slice(1)) console.log(`  without ajv-formats: ${e}`);
}
for (const f of failures) console.log(`  FAIL: ${f}`);
process.exit(failures.length ? 1 : 0);

function summarizeWarnings(ws) {
  const kinds = new Map();
  for (const w of ws) {
    const m = /^strict mode: (.*?) at "/.exec(w);
    const k = m ? m[1] : w;
    kinds.set(k, (kinds.get(k) || 0) + 1);
  }
  return [...kinds].map(([k, n]) => `${n}x "${k}"`).join(", ");
}
