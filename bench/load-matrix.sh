#!/usr/bin/env bash
# The issue-8 load table: the gateway and the bare baseline side by side, in one run, on this machine.
#   bash bench/load-matrix.sh [levels...]        (default levels: 1 100 1000 5000)
# Each level runs C concurrent streams of a ~500-token answer from the simulated model, at full speed (0 ms per
# token) and at 50 tokens/s (20 ms), against each server in turn; the load generator shares the machine's cores
# with the server (say so when quoting the figures). Prints one markdown row per run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then levels=("$@"); else levels=(1 100 1000 5000); fi
ulimit -n 65536 2>/dev/null || true

dotnet build -c Release -v q src/Sluice.Gateway >/dev/null
dotnet build -c Release -v q bench/Sluice.BareServer >/dev/null
dotnet build -c Release -v q bench/Sluice.LoadGen >/dev/null
gateway=src/Sluice.Gateway/bin/Release/net10.0/Sluice.Gateway.dll
bare=bench/Sluice.BareServer/bin/Release/net10.0/Sluice.BareServer.dll
loadgen=bench/Sluice.LoadGen/bin/Release/net10.0/Sluice.LoadGen.dll
answers=src/Sluice.Providers.Simulated/Answers
prompt="/echo $(cat "$answers/python-retry.md")

$(head -c 700 "$answers/csharp-async-streams.md")"

start() { # name dll port tokens-per-second
  Sluice__Simulated__TokensPerSecond=$4 Sluice__Simulated__FirstTokenDelayMs=0 Sluice__Limits__MaxRunsPerPrincipal= \
    Sluice__Limits__MaxConcurrentRuns= Sluice__Limits__MaxSubscribers= Sluice__Ui__Enabled=false \
    Logging__LogLevel__Default=Warning dotnet "$2" --urls "http://127.0.0.1:$3" >/tmp/sluice-load-$1.log 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$3/" && break; sleep 0.1; done
  echo "$pid"
}

echo "| server | ms/token | streams | complete | TTFE p50 / p99 ms | gap p50 / p99 ms | events/s | frames per event | server CPU µs/event | server peak RSS MiB | KiB per open stream |"
echo "| --- | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |"
for pace in 0 20; do
  tps=$([ "$pace" = 0 ] && echo 0 || echo $((1000 / pace)))
  for server in sluice bare; do
    dll=$([ "$server" = sluice ] && echo "$gateway" || echo "$bare")
    port=$([ "$server" = sluice ] && echo 5401 || echo 5402)
    pid=$(start "$server" "$dll" "$port" "$tps")
    # Warm-up (JIT tiers, pools, connections) on the measured workload itself, not measured.
    dotnet "$loadgen" --url "http://127.0.0.1:$port/v1/streams" --prompt "$prompt" --concurrency 100 --streams 200 --timeout 600 >/dev/null || true
    for level in "${levels[@]}"; do
      # One stream alone gives few samples: run several in a row (fewer when each takes ~10 s). At 100 streams the
      # server's CPU per event is small against its background work, so three waves of 100 give steadier figures.
      streams=$([ "$level" = 1 ] && { [ "$pace" = 0 ] && echo 20 || echo 3; } || { [ "$level" = 100 ] && echo 300 || echo "$level"; })
      json=$(dotnet "$loadgen" --url "http://127.0.0.1:$port/v1/streams" --prompt "$prompt" --concurrency "$level" \
        --streams "$streams" --timeout 600 --label "$server" --server-pid "$pid" --json | tail -1 || true)
      python3 - "$server" "$pace" "$json" <<'PY'
import json, sys
server, pace, line = sys.argv[1], sys.argv[2], sys.argv[3]
r = json.loads(line)
print(f"| {server} | {pace} | {r['Concurrency']} | {r['Complete']}/{r['Streams']} | {r['TimeToFirstEventP50Ms']:.1f} / {r['TimeToFirstEventP99Ms']:.1f} "
      f"| {r['GapP50Ms']:.2f} / {r['GapP99Ms']:.2f} | {r['EventsPerSecond']:.0f} | {r['Frames'] / max(r['Events'], 1):.2f} "
      f"| {r['ServerCpuMicrosecondsPerEvent']:.2f} | {r['ServerPeakResidentMegabytes']:.0f} | {r['ServerKilobytesPerOpenStream']:.1f} |")
PY
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
