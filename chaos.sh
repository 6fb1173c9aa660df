#!/usr/bin/env bash
# The replication chaos test with more rounds than the default suite runs: ./chaos.sh [rounds] (default 10).
# Three silo processes and Azurite on loopback; each round kills the leader of partition 0 with SIGKILL and
# restarts it. Prints rounds, records sent and acknowledged, lost, duplicated, out of order, and the longest
# time without acknowledged writes after each kill. Results: docs/BENCHMARKS.md, "Replication".
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export ORLOG_CHAOS_ROUNDS="${1:-10}"
source ./azurite.sh
azurite_start_for_tests >/dev/null
dotnet build Orlog.slnx -c Release -v quiet -nologo
dotnet tests/Silo.Tests/bin/Release/net10.0/Orlog.Silo.Tests.dll -class "Orlog.Silo.ReplicationChaosTests" -diagnostics
