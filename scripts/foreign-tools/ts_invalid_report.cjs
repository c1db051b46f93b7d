#!/usr/bin/env node
// Reads `tsc --pretty false` output (run from the current directory) over the
// files ts_examples.cjs wrote in "invalid" mode, and says how many invalid
// fixtures the generated TypeScript types alone reject. Information only.
//
//   node ts_invalid_report.cjs OUT_DIR TSC_OUTPUT_FILE [--verbose]
"use strict";

const fs = require("fs");
const path = require("path");

const [outDir, tscOutput] = process.argv.slice(2);
const verbose = process.argv.includes("--verbose");
const ranges = JSON.parse(fs.readFileSync(path.join(outDir, "fixtures.json"), "utf8"));
const errors = new Map(ranges.map((r) => [r.fixture, []]));
const stray = [];

for (const line of fs.readFileSync(tscOutput, "utf8").split("\n")) {
  const m = /^(.+?)\((\d+),(\d+)\): error (TS\d+: .*)$/.exec(line);
  if (!m) continue;
  const file = path.resolve(m[1]);
  const at = Number(m[2]);
  const r = ranges.find((r) => path.resolve(r.file) === file && r.first <= at && at <= r.last);
  if (r) errors.get(r.fixture).push(m[4]);
  else stray.push(line);
}

const rejected = [...errors.values()].filter((e) => e.length).length;
const cap = (s) => (s.length > 160 ? s.slice(0, 155) + " ..." : s);
console.log(
  `  tsc on the invalid fixtures (information): ${rejected}/${ranges.length} rejected by the generated types alone` +
    (rejected < ranges.length ? " (the rest break patterns, lengths, formats or bounds, which TypeScript types do not carry)" : ""),
);
if (verbose) {
  for (const [fixture, errs] of errors) {
    console.log(errs.length ? `  tsc rejects ${fixture}: ${cap(errs[0])}` : `  tsc accepts ${fixture}`);
  }
}
// An error outside every fixture (in the generated types, say) is a failure.
for (const s of stray) console.log(`  FAIL: tsc error outside the fixtures: ${s}`);
process.exit(stray.length ? 1 : 0);
