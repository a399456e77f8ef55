#!/usr/bin/env bash
# Redraws the SVG and HTML chart beside every walkthrough trace, after a
# renderer change (tests/walkthrough_test.cpp fails until they match).
#   docs/walkthroughs/render.sh [path/to/agree]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
agree="${1:-$here/../../build/agree}"
for trace in "$here"/*.trace; do
  "$agree" replay "$trace" >/dev/null  # each one reproduces, or this stops here
  "$agree" render "$trace" -o "${trace%.trace}.svg" --force
  "$agree" render "$trace" -o "${trace%.trace}.html" --force
done
