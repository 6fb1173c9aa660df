#!/usr/bin/env bash
# Azurite, the Azure Storage emulator (the real Blob and Table APIs), pinned and installed into
# .tools/azurite with npm on first use.
#
#   ./azurite.sh                 run it in the foreground for local experiments with the silo:
#                                blob 127.0.0.1:10000, table 127.0.0.1:10002, data in .tools/azurite-data
#   source ./azurite.sh && azurite_start_for_tests
#                                (test.sh) start it on free ports with a temporary directory, export
#                                ORLOG_TEST_AZURE_STORAGE (a connection string), stop it on exit
AZURITE_VERSION=3.37.0
AZURITE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/.tools/azurite"
# Azurite's well-known development account (public, in Microsoft's docs); it exists only in the emulator.
AZURITE_ACCOUNT=devstoreaccount1
AZURITE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

azurite_install() {
  if [[ ! -x "$AZURITE_ROOT/node_modules/.bin/azurite" ]] || ! grep -q "\"version\": \"$AZURITE_VERSION\"" "$AZURITE_ROOT/node_modules/azurite/package.json" 2>/dev/null; then
    echo "Installing Azurite $AZURITE_VERSION into .tools/azurite ..." >&2
    npm install --prefix "$AZURITE_ROOT" --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION" >&2
  fi
}

azurite_free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

azurite_connection_string() { # blob port, table port
  echo "DefaultEndpointsProtocol=http;AccountName=$AZURITE_ACCOUNT;AccountKey=$AZURITE_KEY;BlobEndpoint=http://127.0.0.1:$1/$AZURITE_ACCOUNT;TableEndpoint=http://127.0.0.1:$2/$AZURITE_ACCOUNT;"
}

azurite_wait() { # port: waits until it accepts connections, at most 30 s
  node -e "
    const net=require('net'); const until=Date.now()+30000;
    (function tryOnce(){ const c=net.connect($1,'127.0.0.1',()=>{c.end();process.exit(0)});
      c.on('error',()=>{ if(Date.now()>until){console.error('Azurite did not start on port $1');process.exit(1)} setTimeout(tryOnce,100) }) })()"
}

azurite_start_for_tests() {
  azurite_install
  AZURITE_DIR="$(mktemp -d -t orlog-azurite-XXXXXX)"
  local blob table queue
  blob=$(azurite_free_port); table=$(azurite_free_port); queue=$(azurite_free_port)
  "$AZURITE_ROOT/node_modules/.bin/azurite" --silent --skipApiVersionCheck --loose --location "$AZURITE_DIR" \
    --blobHost 127.0.0.1 --blobPort "$blob" --tableHost 127.0.0.1 --tablePort "$table" \
    --queueHost 127.0.0.1 --queuePort "$queue" > "$AZURITE_DIR.log" 2>&1 &
  AZURITE_PID=$!
  trap azurite_stop EXIT
  azurite_wait "$blob" && azurite_wait "$table"
  export ORLOG_TEST_AZURE_STORAGE
  ORLOG_TEST_AZURE_STORAGE="$(azurite_connection_string "$blob" "$table")"
}

azurite_stop() {
  if [[ -n "${AZURITE_PID:-}" ]]; then
    kill "$AZURITE_PID" 2>/dev/null || true
    wait "$AZURITE_PID" 2>/dev/null || true
  fi
  [[ -n "${AZURITE_DIR:-}" ]] && rm -rf "$AZURITE_DIR" "$AZURITE_DIR.log"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  azurite_install
  mkdir -p "$AZURITE_ROOT-data"
  echo "Azurite: $(azurite_connection_string 10000 10002)" >&2
  exec "$AZURITE_ROOT/node_modules/.bin/azurite" --skipApiVersionCheck --loose --location "$AZURITE_ROOT-data" \
    --blobHost 127.0.0.1 --blobPort 10000 --tableHost 127.0.0.1 --tablePort 10002 --queueHost 127.0.0.1 --queuePort 10001
fi
