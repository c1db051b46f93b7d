#!/usr/bin/env node
// Validates every line of an NDJSON file against schemas/ENTITY.schema.json
// with ajv 8 (Ajv2020, strict mode at its defaults) + ajv-formats, set up as
// scripts/foreign-tools/ajv_check.cjs does, for scripts/bench-peers:
//
//   node ajv_validate.cjs REPO_ROOT ENTITY IN
//
// The schema is compiled, the file read and the first min(1000, N/10) lines
// validated once (a warm-up for node's JIT) before the clock starts; the
// loop over all lines (JSON.parse and validate, per line) is timed. Prints
// {"docs":N,"bytes":B,"ns":T} on stdout. Exits 1 when a line is invalid: the
// documents are the schema's own examples, so that is a broken setup.
"use strict";

const fs = require("fs");
const path = require("path");

const [root, entity, input] = process.argv.slice(2);
if (!input) {
  console.error("usage: node ajv_validate.cjs REPO_ROOT ENTITY IN");
  process.exit(2);
}
const modules = path.join(root, "scripts", "foreign-tools", "node_modules");
const Ajv2020 = require(path.join(modules, "ajv", "dist", "2020"));
const addFormats = require(path.join(modules, "ajv-formats"));

// Strict mode's logged warnings (strictTypes) are silenced, as they are
// counted, not printed, by ajv_check.cjs.
const ajv = new Ajv2020({ logger: { log() {}, warn() {}, error: console.error } });
addFormats(ajv);
const schema = JSON.parse(fs.readFileSync(path.join(root, "schemas", `${entity}.schema.json`), "utf8"));
const validate = ajv.compile(schema);
const lines = fs.readFileSync(input, "utf8").split("\n").filter((l) => l.trim() !== "");

const warm = Math.min(1000, Math.floor(lines.length / 10));
for (const line of lines.slice(0, warm)) validate(JSON.parse(line));
let invalid = 0;
const started = process.hrtime.bigint();
for (const line of lines) {
  if (!validate(JSON.parse(line))) invalid += 1;
}
const ns = process.hrtime.bigint() - started;
if (invalid) {
  console.error(`ajv_validate: ${invalid} of ${lines.length} lines invalid, e.g. ${JSON.stringify(validate.errors)}`);
  process.exit(1);
}
const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
console.log(JSON.stringify({ docs: lines.length, bytes, ns: Number(ns) }));
