#!/usr/bin/env bash
# Runs the log engine benchmarks (Release build): ./bench.sh [append|ratio|read|latency|rawdisk|alloc|streams|all] [BenchmarkDotNet options]
#   append   PartitionLog.Append per flush policy beside raw writes of the same bytes (BenchmarkDotNet), then ratio
#   ratio    Append (flush.policy=os) / raw writes, measured in interleaved pairs (median of 31 ratios)
#   read     sequential 1 MiB reads of a 1 GiB log from the page cache (BenchmarkDotNet)
#   latency  random-read percentiles at 1 GiB and 10 GiB (custom harness)
#   rawdisk  the raw-write benchmarks alone, plus dd with fdatasync
#   alloc    bytes allocated per append, and by which step
#   streams  Orleans streams over Orlog: events/s delivered to grain subscribers, produce-to-OnNextAsync latency
#   all      everything (about 15-25 minutes on 2 cores)
# Logs go to $ORLOG_BENCH_DIR (default /tmp/orlog-bench); it must be on the disk under test, not a tmpfs.
# Results and how to read them: docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export ORLOG_BENCH_DIR="${ORLOG_BENCH_DIR:-/tmp/orlog-bench}"
what="${1:-all}"
shift || true

case "$what" in
  append|ratio|read|latency|rawdisk|alloc|streams|all) ;;
  *) echo "usage: $0 [append|ratio|read|latency|rawdisk|alloc|streams|all] [BenchmarkDotNet options]" >&2; exit 2 ;;
esac

mkdir -p "$ORLOG_BENCH_DIR"
echo "== machine"
nproc
free -h
df -hT "$ORLOG_BENCH_DIR"

if [[ "$what" == rawdisk || "$what" == all ]]; then
  echo "== dd, 1 GiB in 64 KiB blocks, fdatasync at the end"
  dd if=/dev/zero of="$ORLOG_BENCH_DIR/dd.bin" bs=64k count=16384 conv=fdatasync 2>&1
  rm -f "$ORLOG_BENCH_DIR/dd.bin"
fi

dotnet run -c Release --project tests/Benchmarks -- "$what" "$@"
