#!/usr/bin/env node
// Runs the canonical-finance binary built for this platform with the user's
// arguments. stdin, stdout and stderr are the user's own (nothing is copied
// through JavaScript), and the binary's exit status is this process's.
//
// The binary is looked up, in order:
//   1. platforms/<platform>-<arch>/canonical-finance[.exe] inside this
//      package (how the package is built today: one platform per tarball);
//   2. the package @canonical-finance/<platform>-<arch> (how more platforms
//      would be shipped: one optional dependency per platform, as esbuild
//      does; see packaging/README.md).
"use strict";

const childProcess = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const NAME = "canonical-finance";

// On Linux the binaries are built against glibc; a musl system (Alpine)
// needs its own build, so it gets its own platform key.
function platformKey() {
  let key = `${process.platform}-${process.arch}`;
  if (process.platform === "linux" && isMusl()) key += "-musl";
  return key;
}

function isMusl() {
  try {
    const report = process.report && process.report.getReport();
    return Boolean(report && report.header && !report.header.glibcVersionRuntime);
  } catch {
    return false;
  }
}

function findBinary(key) {
  const file = process.platform === "win32" ? `${NAME}.exe` : NAME;
  const bundled = path.join(__dirname, "..", "platforms", key, file);
  if (fs.existsSync(bundled)) return bundled;
  try {
    return require.resolve(`@${NAME}/${key}/bin/${file}`);
  } catch {
    return null;
  }
}

function bundledPlatforms() {
  try {
    return fs.readdirSync(path.join(__dirname, "..", "platforms")).join(", ") || "none";
  } catch {
    return "none";
  }
}

const key = platformKey();
const binary = findBinary(key);
if (binary === null) {
  process.stderr.write(
    `${NAME}: no binary for this platform (${key}) in this package; ` +
      `it has: ${bundledPlatforms()}. ` +
      "Build the package for this platform from the repository (scripts/package-npm) " +
      "or install the Rust crate: cargo install canonical-finance --features cli\n",
  );
  process.exit(2);
}

const result = childProcess.spawnSync(binary, process.argv.slice(2), {
  stdio: "inherit",
  windowsHide: true,
});
if (result.error) {
  process.stderr.write(`${NAME}: cannot run ${binary}: ${result.error.message}\n`);
  process.exit(2);
}
if (result.signal) {
  // Die of the same signal, so that the caller sees what the binary saw.
  process.kill(process.pid, result.signal);
}
process.exit(result.status === null ? 2 : result.status);
