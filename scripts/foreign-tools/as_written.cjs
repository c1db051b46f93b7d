// Writes the published schemas as the crate writes documents: every decimal
// (amounts, quantities, rates, percentages) is a string, never a number.
//
//   node as_written.cjs REPO_ROOT OUT_DIR
//
// The published schemas describe what the crate reads: a decimal is
// `"type": ["string", "number"]` with a decimal `pattern` and numeric
// bounds, because input may carry exact JSON numbers. Code generators turn
// that union into `string | number` (json-schema-to-typescript) and
// `constr(...) | confloat(...)` (datamodel-code-generator), and the number
// branch is where a JavaScript or Python program would read an amount as a
// float. The crate always writes decimals as strings (its serialize contract
// for `Decimal` is `{"type": "string", "pattern": ...}`), so types generated
// for the documents it writes take the string branch only. This script makes
// exactly that change and nothing else: in each subschema whose `type` lists
// both "string" and "number" and that has a `pattern`, "number" is removed
// from `type`, and the numeric keywords (minimum, maximum, exclusiveMinimum,
// exclusiveMaximum, multipleOf) go with it. A "number" anywhere else is an
// error: this script would not know whether it is an amount.
//
// Writes OUT_DIR/<entity>.schema.json and prints how many decimals it turned
// into strings. Exits 1 on an unexpected number type.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const NUMERIC = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];

function asWritten(node, where, counts, errors) {
  if (Array.isArray(node)) {
    node.forEach((item, i) => asWritten(item, `${where}/${i}`, counts, errors));
    return;
  }
  if (node === null || typeof node !== "object") return;
  const types = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type];
  if (types.includes("number")) {
    if (types.includes("string") && typeof node.pattern === "string") {
      const rest = types.filter((t) => t !== "number");
      node.type = rest.length === 1 ? rest[0] : rest;
      for (const key of NUMERIC) delete node[key];
      counts.decimals += 1;
    } else {
      errors.push(`${where}: "type": ${JSON.stringify(node.type)} is a number that is not a decimal string-or-number`);
    }
  }
  for (const [key, value] of Object.entries(node)) {
    // `examples`, `default`, `const` and `enum` hold data, not subschemas.
    if (["examples", "default", "const", "enum"].includes(key)) continue;
    asWritten(value, `${where}/${key}`, counts, errors);
  }
}

function main() {
  const [root, outDir] = process.argv.slice(2);
  if (!root || !outDir) {
    console.error("usage: node as_written.cjs REPO_ROOT OUT_DIR");
    process.exit(2);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const schemasDir = path.join(root, "schemas");
  const counts = { decimals: 0, schemas: 0 };
  const errors = [];
  for (const file of fs.readdirSync(schemasDir).filter((f) => f.endsWith(".schema.json")).sort()) {
    const schema = JSON.parse(fs.readFileSync(path.join(schemasDir, file), "utf8"));
    asWritten(schema, `schemas/${file}#`, counts, errors);
    fs.writeFileSync(path.join(outDir, file), JSON.stringify(schema, null, 2) + "\n");
    counts.schemas += 1;
  }
  if (errors.length) {
    for (const e of errors) console.error(e);
    process.exit(1);
  }
  if (counts.decimals === 0) {
    console.error("no decimal (string-or-number with a pattern) found in schemas/: has the decimal schema changed?");
    process.exit(1);
  }
  console.log(`${counts.schemas} schemas, ${counts.decimals} decimals as strings`);
}

main();
