#!/usr/bin/env bash
# The issue-9 scale-out table, in one run on this machine: the gateway with the in-memory log (one node), with the
# Redis log on one node, and two nodes on one Redis behind nginx (round robin, no stickiness).
#   bash bench/scaleout-matrix.sh [levels...]        (default levels: 100 1000)
# Each level runs C concurrent streams of a ~500-token answer from the simulated model, at full speed (0 ms per token)
# and at 50 tokens/s (20 ms); events/s is what the load generator received. Redis: script calls (EVAL/EVALSHA, from
# INFO commandstats) per event, which is what the gateway's nodes send per event apart from lease renewals (SETEX, one
# per running stream per LeaseTime/3) and lookups (HMGET, on resumes at another node); and every command Redis ran per
# event (total_commands_processed, the commands inside scripts included). Commands from concurrent streams share
# network round trips (StackExchange.Redis pipelines them on one connection), so round trips are fewer still. Then
# resume latency through nginx: time to the first byte of GET /v1/streams/{id} with Last-Event-ID, alternating nodes,
# for a finished stream (replay) and a running one (live). Load generator, nodes, Redis and nginx share the cores.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then levels=("$@"); else levels=(100 1000); fi
ulimit -n 65536 2>/dev/null || true
work=$(mktemp -d /tmp/sluice-scaleout-XXXX)
redis_port=6391; node1=5411; node2=5412; proxy=5419

dotnet build -c Release -v q src/Sluice.Gateway >/dev/null
dotnet build -c Release -v q bench/Sluice.LoadGen >/dev/null
gateway=src/Sluice.Gateway/bin/Release/net10.0/Sluice.Gateway.dll
loadgen=bench/Sluice.LoadGen/bin/Release/net10.0/Sluice.LoadGen.dll
answers=src/Sluice.Providers.Simulated/Answers
prompt="/echo $(cat "$answers/python-retry.md")

$(head -c 700 "$answers/csharp-async-streams.md")"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

redis-server --port $redis_port --bind 127.0.0.1 --save '' --appendonly no --maxmemory-policy noeviction \
  --dir "$work" --logfile "$work/redis.log" --daemonize no &
pids+=($!)
until redis-cli -p $redis_port ping >/dev/null 2>&1; do sleep 0.1; done

start_node() { # port log(memory|redis) node-id tokens-per-second
  Sluice__ReplayLog=$2 ConnectionStrings__Redis=127.0.0.1:$redis_port Sluice__Cluster__NodeId=$3 \
    Sluice__Simulated__TokensPerSecond=$4 Sluice__Simulated__FirstTokenDelayMs=0 Sluice__Limits__MaxRunsPerPrincipal= \
    Sluice__Limits__MaxConcurrentRuns= Sluice__Limits__MaxSubscribers= Sluice__Ui__Enabled=false \
    Logging__LogLevel__Default=Warning dotnet "$gateway" --urls "http://127.0.0.1:$1" >"$work/node-$1.log" 2>&1 &
  pids+=($!)
  until curl -s -o /dev/null "http://127.0.0.1:$1/healthz"; do sleep 0.1; done
}
stop_nodes() { for pid in "${pids[@]:1}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; pids=("${pids[0]}"); }

sed -e "s/server 127.0.0.1:5000;/server 127.0.0.1:$node1;\n        server 127.0.0.1:$node2;/" \
    -e "s/listen 127.0.0.1:8080;/listen 127.0.0.1:$proxy;/" -e "s/worker_processes auto;/worker_processes 1;\nworker_rlimit_nofile 65536;/" \
    -e "s#http {#http {\n    access_log off; client_body_temp_path $work/body; proxy_temp_path $work/proxy;#" \
    docs/deploy/nginx.conf >"$work/nginx.conf"
start_nginx() {
  /usr/sbin/nginx -c "$work/nginx.conf" -p "$work" -e "$work/nginx-error.log" -g "daemon off; pid $work/nginx.pid;" &
  pids+=($!)
  until curl -s -o /dev/null "http://127.0.0.1:$proxy/healthz"; do sleep 0.1; done
}

commands() { redis-cli -p $redis_port info stats | tr -d '\r' | awk -F: '/^total_commands_processed/ {print $2}'; }
scripts() { redis-cli -p $redis_port info commandstats | tr -d '\r' | awk -F'[=,:]' '/^cmdstat_eval(sha)?:/ {n += $3} END {print n + 0}'; }

run_level() { # label url level pace
  dotnet "$loadgen" --url "$2/v1/streams" --prompt "/echo warm up" --concurrency 20 --streams 200 >/dev/null || true
  redis-cli -p $redis_port config resetstat >/dev/null
  local json
  json=$(dotnet "$loadgen" --url "$2/v1/streams" --prompt "$prompt" --concurrency "$3" --streams "$3" --timeout 600 --label "$1" --json | tail -1 || true)
  python3 - "$1" "$4" "$json" "$(scripts)" "$(commands)" <<'PY'
import json, sys
label, pace, line, scripts, commands = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
r = json.loads(line)
redis = label.startswith("redis")
per = lambda n: f"{n / r['Events']:.3f}" if redis else "–"
print(f"| {label} | {pace} | {r['Concurrency']} | {r['Complete']}/{r['Streams']} | {r['TimeToFirstEventP50Ms']:.1f} / {r['TimeToFirstEventP99Ms']:.1f} "
      f"| {r['GapP50Ms']:.2f} / {r['GapP99Ms']:.2f} | {r['EventsPerSecond']:.0f} | {per(scripts)} | {per(commands)} |")
PY
}

echo "| setup | ms/token | streams | complete | TTFE p50 / p99 ms | gap p50 / p99 ms | events/s | Redis script calls per event | Redis commands per event (all, inside scripts too) |"
echo "| --- | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: |"
for pace in 0 20; do
  tps=$([ "$pace" = 0 ] && echo 0 || echo $((1000 / pace)))
  for setup in memory-1-node redis-1-node redis-2-nodes-nginx; do
    case $setup in
      memory-1-node) start_node $node1 memory n1 "$tps"; url=http://127.0.0.1:$node1 ;;
      redis-1-node) start_node $node1 redis n1 "$tps"; url=http://127.0.0.1:$node1 ;;
      redis-2-nodes-nginx) start_node $node1 redis n1 "$tps"; start_node $node2 redis n2 "$tps"; start_nginx; url=http://127.0.0.1:$proxy ;;
    esac
    for level in "${levels[@]}"; do
      run_level "$setup" "$url" "$level" "$pace"
      redis-cli -p $redis_port flushall >/dev/null
    done
    stop_nodes
  done
done

# Resume latency through nginx (two Redis nodes, 20 tokens/s so a stream is still running while it is resumed).
start_node $node1 redis n1 20; start_node $node2 redis n2 20; start_nginx
resume_ttfb() { # id token last-event-id max-seconds
  curl -s -o /dev/null -m "$4" -H "Authorization: Bearer $2" -H "Last-Event-ID: $3" \
    -w '%{time_starttransfer}\n' "http://127.0.0.1:$proxy/v1/streams/$1" || true
}
start_stream() { # → "id token"
  curl -s -N -m "$1" -D "$work/h" -o /dev/null "http://127.0.0.1:$proxy/v1/streams" -H 'content-type: application/json' \
    -d '{"messages":[{"role":"user","content":"/answer python-retry"}]}' || true
  echo "$(grep -i '^location:' "$work/h" | sed 's#.*/##' | tr -d '\r') $(grep -i '^sluice-resume-token:' "$work/h" | cut -d' ' -f2 | tr -d '\r')"
}
read -r done_id done_token < <(start_stream 60)   # read to the end: a finished stream
for _ in $(seq 200); do resume_ttfb "$done_id" "$done_token" 100 5; done >"$work/replay.txt"
read -r live_id live_token < <(start_stream 1)    # cut after 1 s: the stream goes on (detach grace 30 s)
for _ in $(seq 50); do resume_ttfb "$live_id" "$live_token" 5 0.3; done >"$work/live.txt"
python3 - "$work/replay.txt" "$work/live.txt" <<'PY'
import sys
def pct(values, p): return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]
print()
print("| resume through nginx (2 nodes, Redis) | n | time to first byte p50 ms | p99 ms |")
print("| --- | ---: | ---: | ---: |")
for name, path in (("finished stream, Last-Event-ID 100", sys.argv[1]), ("running stream, Last-Event-ID 5", sys.argv[2])):
    values = sorted(float(v) * 1000 for v in open(path).read().split() if float(v) > 0)
    print(f"| {name} | {len(values)} | {pct(values, 50):.2f} | {pct(values, 99):.2f} |")
PY
