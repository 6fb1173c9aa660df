#!/usr/bin/env bash
# Runs the whole Orlog test suite on a fresh machine: restores, builds (Release) and runs every
# test project of the solution, with Azurite (installed on first use, see azurite.sh) started on
# free ports for the tests that talk to Azure Storage and stopped afterwards, also when tests fail.
# Benchmarks are separate: see docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
source ./azurite.sh
azurite_start_for_tests
log="$(mktemp)"
trap 'rm -f "$log"; azurite_stop' EXIT

set +e
dotnet test --solution Orlog.slnx -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line that any CI can read: "N passed, N failed".
passed=$(awk '/^ *succeeded:/ {print $2}' "$log" | tail -1)
failed=$(awk '/^ *failed:/ {print $2}' "$log" | tail -1)
echo "Tests: ${passed:-0} passed, ${failed:-0} failed"
if [[ -z "${passed:-}" || "${passed}" == "0" ]]; then
  echo "No test ran." >&2
  exit 1
fi
exit "$status"
