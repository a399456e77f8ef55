// tests/browser/harness.cjs — what every browser test shares: its two
// arguments, the browser (skipped where it is missing, except in CI), and the
// ok/FAIL lines with their count.
'use strict';
const fs = require('fs');

const CHROMIUM = '/usr/bin/chromium';

// [AGREE_BINARY, OUTPUT_DIR] from the command line, or a usage line and exit 2.
function args(script) {
  const [agree, outDir] = process.argv.slice(2);
  if (!agree || !outDir) {
    console.error('usage: node ' + script + ' AGREE_BINARY OUTPUT_DIR');
    process.exit(2);
  }
  return [agree, outDir];
}

// Without its dependencies a test is skipped (exit 77), except in CI
// (CI=true), where a missing dependency is a failure (exit 1).
function missing(what) {
  const ci = process.env.CI === 'true';
  console.log((ci ? 'FAIL' : 'SKIP') + ': ' + what + ' is not installed (scripts/install-browser-deps.sh)');
  process.exit(ci ? 1 : 77);
}

// playwright-core's chromium, checked to be there.
function browser() {
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    missing('playwright-core');
  }
  if (!fs.existsSync(CHROMIUM)) missing(CHROMIUM);
  return chromium;
}

const counts = { passed: 0, failures: 0 };
function check(ok, what) {
  console.log((ok ? 'ok   ' : 'FAIL ') + what);
  if (ok) counts.passed++;
  else counts.failures++;
}
// Prints the count and exits 1 if any check failed.
function finish() {
  console.log(`${counts.passed} passed, ${counts.failures} failed`);
  process.exit(counts.failures ? 1 : 0);
}

module.exports = { CHROMIUM, args, missing, browser, check, counts, finish };
