#!/usr/bin/env bash
# A real Orlog cluster on this machine: Azurite (Azure Table membership, Blob metadata) and N silo
# processes on 127.0.0.1, each with its own data directory and ports. See docs/OPERATIONS.md.
#
#   ./cluster.sh start [N]    build the silo, start Azurite and N silos (default 3); prints how to connect
#   ./cluster.sh stop         stop the silos and Azurite (data stays in .cluster/ for the next start)
#   ./cluster.sh kill ID      kill -9 the silo of broker ID (to watch a failure)
#   ./cluster.sh restart ID   start the silo of broker ID again on its data directory
#
# Silo of broker i: data .cluster/broker-i, silo port 11110+i, gateway 30000+i, HTTP 8080+i
# (dashboard http://localhost:8080+i/dashboard), log .cluster/broker-i.log.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="$ROOT/.cluster"
SILO_DLL="$ROOT/Silo/bin/Release/net10.0/Orlog.Silo.dll"
# shellcheck source=azurite.sh
source "$ROOT/azurite.sh"
CONNECTION="$(azurite_connection_string 10000 10002)"

start_azurite() {
  if [[ -f "$STATE/azurite.pid" ]] && kill -0 "$(cat "$STATE/azurite.pid")" 2>/dev/null; then
    return
  fi
  azurite_install
  mkdir -p "$STATE/azurite"
  "$AZURITE_ROOT/node_modules/.bin/azurite" --silent --skipApiVersionCheck --loose --location "$STATE/azurite" \
    --blobHost 127.0.0.1 --blobPort 10000 --tableHost 127.0.0.1 --tablePort 10002 \
    --queueHost 127.0.0.1 --queuePort 10001 > "$STATE/azurite.log" 2>&1 &
  echo $! > "$STATE/azurite.pid"
  azurite_wait 10000 && azurite_wait 10002
}

start_silo() { # broker id
  local id=$1
  mkdir -p "$STATE/broker-$id"
  dotnet "$SILO_DLL" \
    --Orlog:DataDir="$STATE/broker-$id" --Orlog:BrokerId="$id" \
    --Orlog:SiloPort=$((11110 + id)) --Orlog:GatewayPort=$((30000 + id)) --Orlog:HttpPort=$((8080 + id)) \
    --Orlog:Clustering:Provider=AzureTable --Orlog:Clustering:AdvertisedIP=127.0.0.1 \
    --Orlog:Clustering:ConnectionString="$CONNECTION" \
    --Orlog:Metadata:Provider=AzureBlob --Orlog:Metadata:ConnectionString="$CONNECTION" \
    > "$STATE/broker-$id.log" 2>&1 &
  echo $! > "$STATE/broker-$id.pid"
}

wait_healthy() { # broker id
  local port=$((8080 + $1)) deadline=$((SECONDS + 60))
  until curl -fs "http://localhost:$port/healthz" > /dev/null 2>&1; do
    if (( SECONDS > deadline )) || ! kill -0 "$(cat "$STATE/broker-$1.pid")" 2>/dev/null; then
      echo "Broker $1 did not start; see $STATE/broker-$1.log" >&2
      exit 1
    fi
    sleep 0.2
  done
}

stop_pid_file() { # file, signal
  if [[ -f "$1" ]]; then
    kill "-$2" "$(cat "$1")" 2>/dev/null || true
    rm -f "$1"
  fi
}

case "${1:-}" in
  start)
    count=${2:-3}
    dotnet build "$ROOT/Silo" -c Release -v quiet -nologo > /dev/null
    mkdir -p "$STATE"
    start_azurite
    for id in $(seq 1 "$count"); do start_silo "$id"; done
    for id in $(seq 1 "$count"); do wait_healthy "$id"; done
    echo "$count brokers running. Connect with:"
    echo "  export ORLOG_CLUSTER_TABLE='$CONNECTION'"
    echo "  dotnet run --project Client/Cli -- cluster describe"
    ;;
  stop)
    for pid in "$STATE"/broker-*.pid; do [[ -e "$pid" ]] && stop_pid_file "$pid" TERM; done
    stop_pid_file "$STATE/azurite.pid" TERM
    ;;
  kill)
    stop_pid_file "$STATE/broker-${2:?broker id}.pid" KILL
    ;;
  restart)
    start_silo "${2:?broker id}"
    wait_healthy "$2"
    ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
