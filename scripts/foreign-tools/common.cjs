// Shared helpers for the Node checks run by scripts/check-foreign-tools.
"use strict";

const fs = require("fs");
const path = require("path");

/** Every published schema, `schemas/<name>.schema.json`, sorted by name. */
function entities(root) {
  const dir = path.join(root, "schemas");
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".schema.json"))
    .sort()
    .map((f) => ({
      name: f.slice(0, -".schema.json".length),
      schemaPath: path.join(dir, f),
      rel: path.join("schemas", f),
    }));
}

/** The `*.json` files directly in `dir`, sorted; none if `dir` is missing. */
function jsonFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => path.join(dir, f));
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

module.exports = { entities, jsonFiles, readJson };
