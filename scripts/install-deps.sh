#!/usr/bin/env bash
# Installs the Debian packages agree needs, if any is missing. Idempotent.
set -euo pipefail
PKGS=(build-essential cmake ninja-build pkg-config libz3-dev z3 catch2 librapidcheck-dev
      libcli11-dev libfmt-dev nlohmann-json3-dev libxxhash-dev
      libcpp-httplib-dev  # agree explore's server
      libopenmpi-dev openmpi-bin  # the distributed search: agree::mpi, mpirun
      python3  # tests/independent and examples/paxos: the counters written from the semantics alone
      clang libclang-rt-14-dev)  # clang and its runtime: libFuzzer and the sanitizers (fuzz/run.sh)
PKGS+=("$@")
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: every package is installed"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
