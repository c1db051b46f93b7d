#!/usr/bin/env node
// Applies the JSONata expression in EXPR_FILE to every line of the NDJSON
// file IN and writes each result as one line of compact JSON to OUT, for
// scripts/bench-peers:
//
//   node jsonata_map.cjs EXPR_FILE IN OUT
//
// The file is read, the expression compiled and the first min(1000, N/10)
// lines mapped once (a warm-up for node's JIT) before the clock starts; the
// loop over all lines (JSON.parse, evaluate, JSON.stringify, writing OUT) is
// timed. Prints
// {"docs":N,"bytes":B,"ns":T} on stdout. Exits 1 when a line gives no result.
"use strict";

const fs = require("fs");
const path = require("path");
const jsonata = require(path.join(__dirname, "node_modules", "jsonata"));

async function main() {
  const [exprFile, input, output] = process.argv.slice(2);
  if (!output) throw new Error("usage: node jsonata_map.cjs EXPR_FILE IN OUT");
  const expression = jsonata(fs.readFileSync(exprFile, "utf8"));
  const lines = fs.readFileSync(input, "utf8").split("\n").filter((l) => l.trim() !== "");
  const warm = Math.min(1000, Math.floor(lines.length / 10));
  for (const line of lines.slice(0, warm)) JSON.stringify(await expression.evaluate(JSON.parse(line)));
  const out = fs.openSync(output, "w");
  let chunk = [];
  let size = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < lines.length; i++) {
    const result = await expression.evaluate(JSON.parse(lines[i]));
    if (result === undefined) throw new Error(`line ${i + 1}: the expression gave no result`);
    const text = JSON.stringify(result);
    chunk.push(text);
    size += text.length;
    if (size > 1 << 20) {
      fs.writeSync(out, chunk.join("\n") + "\n");
      chunk = [];
      size = 0;
    }
  }
  if (chunk.length) fs.writeSync(out, chunk.join("\n") + "\n");
  fs.closeSync(out);
  const ns = process.hrtime.bigint() - started;
  const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
  console.log(JSON.stringify({ docs: lines.length, bytes, ns: Number(ns) }));
}

main().catch((e) => {
  console.error(`jsonata_map: ${e.message}`);
  process.exit(1);
});
