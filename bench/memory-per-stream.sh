#!/usr/bin/env bash
# Memory per open stream, gateway vs bare baseline: the live managed heap (an induced GC, dotnet-gcdump) with N
# streams open at 50 tokens/s (each ~500 tokens, ~10 s), minus the live heap before they started, divided by N.
#   bash bench/memory-per-stream.sh [streams] [seconds-into-the-streams]      (defaults: 1000 8)
# Unlike RSS, this leaves out GC headroom (garbage not yet collected, heap segments kept for reuse). Kernel socket
# buffers are not managed memory and are the same for both servers.
set -euo pipefail
cd "$(dirname "$0")/.."
streams=${1:-1000}
at=${2:-8}
ulimit -n 65536 2>/dev/null || true
dotnet tool restore >/dev/null
dotnet build -c Release -v q src/Sluice.Gateway >/dev/null
dotnet build -c Release -v q bench/Sluice.BareServer >/dev/null
dotnet build -c Release -v q bench/Sluice.LoadGen >/dev/null
loadgen=bench/Sluice.LoadGen/bin/Release/net10.0/Sluice.LoadGen.dll
answers=src/Sluice.Providers.Simulated/Answers
prompt="/echo $(cat "$answers/python-retry.md")

$(head -c 700 "$answers/csharp-async-streams.md")"
dump=$(mktemp -d)

live_bytes() { # pid name
  dotnet dotnet-gcdump collect -p "$1" -o "$dump/$2.gcdump" >/dev/null 2>&1
  dotnet dotnet-gcdump report "$dump/$2.gcdump" | awk '/GC Heap bytes/ { gsub(",", "", $1); print $1; exit }'
}

echo "| server | open streams | live heap before (MiB) | live heap with streams open (MiB) | KiB per open stream |"
echo "| --- | ---: | ---: | ---: | ---: |"
for server in sluice bare; do
  dll=$([ "$server" = sluice ] && echo src/Sluice.Gateway/bin/Release/net10.0/Sluice.Gateway.dll || echo bench/Sluice.BareServer/bin/Release/net10.0/Sluice.BareServer.dll)
  port=$([ "$server" = sluice ] && echo 5611 || echo 5612)
  Sluice__Simulated__TokensPerSecond=50 Sluice__Simulated__FirstTokenDelayMs=0 Sluice__Limits__MaxRunsPerPrincipal= \
    Sluice__Limits__MaxConcurrentRuns= Sluice__Limits__MaxSubscribers= Sluice__Ui__Enabled=false \
    Logging__LogLevel__Default=Warning dotnet "$dll" --urls "http://127.0.0.1:$port" >/tmp/sluice-memory-$server.log 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
  dotnet "$loadgen" --url "http://127.0.0.1:$port/v1/streams" --prompt "/echo warm up" --concurrency 20 --streams 200 >/dev/null || true
  before=$(live_bytes "$pid" "$server-before")
  dotnet "$loadgen" --url "http://127.0.0.1:$port/v1/streams" --prompt "$prompt" --concurrency "$streams" --streams "$streams" \
    --timeout 600 --label "$server" >/tmp/sluice-memory-$server-load.txt &
  load=$!
  sleep "$at"
  during=$(live_bytes "$pid" "$server-during")
  wait "$load"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  python3 -c "b, d, n = $before, $during, $streams; print(f'| $server | {n} | {b / 2**20:.1f} | {d / 2**20:.1f} | {(d - b) / n / 1024:.1f} |')"
done
[ -n "${KEEP_DUMPS:-}" ] && echo "dumps kept in $dump" >&2 || rm -rf "$dump"
