#!/usr/bin/env bash
# llm-observe in one command, without Docker:
#   simulator (fake OpenAI/Azure/Anthropic) <- demo app with the agent -> pipeline (embedded Flink)
#   -> Prometheus (alerts/ rules) -> Alertmanager -> a local webhook receiver
# then a latency spike in one Azure region, and you watch the anomaly open, the alert arrive
# in Alertmanager, and both resolve.
#
#   scripts/demo.sh            build if needed, run, keep the stack up until Ctrl-C
#   scripts/demo.sh --ci       non-interactive: exit 0 once the alert has fired and resolved
#   scripts/demo.sh --rebuild  rebuild the jars first
#   scripts/demo.sh --extra    also inject a 429 storm (anthropic) and a model version change
#
# Needs: Java 17+, Maven, curl. Prometheus and Alertmanager are optional (without them the demo
# stops at the pipeline's anomaly events):  apt-get install -y prometheus prometheus-alertmanager
# Ports (override with env): SIM_PORT=8089 OTLP_PORT=4318 METRICS_PORT=9464 PROM_PORT=9090
# AM_PORT=9093 HOOK_PORT=5001.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

CI_MODE=0; REBUILD=0; EXTRA=0
for a in "$@"; do
  case "$a" in
    --ci) CI_MODE=1 ;;
    --rebuild) REBUILD=1 ;;
    --extra) EXTRA=1 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown option $a (see --help)" >&2; exit 2 ;;
  esac
done
[ "${CI:-}" = "true" ] && CI_MODE=1

SIM_PORT=${SIM_PORT:-8089}; OTLP_PORT=${OTLP_PORT:-4318}; METRICS_PORT=${METRICS_PORT:-9464}
PROM_PORT=${PROM_PORT:-9090}; AM_PORT=${AM_PORT:-9093}; HOOK_PORT=${HOOK_PORT:-5001}
WINDOW=${WINDOW:-5s}; WARMUP_WINDOWS=${WARMUP_WINDOWS:-10}
SPIKE_PROVIDER=azure; SPIKE_REGION="East US 2"; SPIKE_MS=${SPIKE_MS:-10000}; SPIKE_SECONDS=${SPIKE_SECONDS:-40}

say() { printf '\033[1m[demo %s]\033[0m %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[demo] ERROR: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2"; }
need java "install a JDK 17+ (apt-get install -y openjdk-17-jdk-headless)"
need curl "apt-get install -y curl"

PROM_BIN=$(command -v prometheus || true)
AM_BIN=$(command -v alertmanager || command -v prometheus-alertmanager || true)

RUN=$(mktemp -d "${TMPDIR:-/tmp}/llm-observe-demo.XXXXXX")
PIDS=()
cleanup() {
  trap - EXIT INT TERM
  if ((${#PIDS[@]})); then
    say "stopping ${#PIDS[@]} processes"
    for ((i=${#PIDS[@]}-1; i>=0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do
      for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$p" 2>/dev/null || true
    done
  fi
  say "logs kept in $RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$SIM_PORT" "$OTLP_PORT" "$METRICS_PORT"; do port_free "$p" || die "port $p is in use (override with env, see --help)"; done

# ---------------------------------------------------------------- build
JARS=(simulator/target/llm-simulator.jar agent/target/llm-otel-javaagent.jar
      demo-app/target/llm-demo-app.jar pipeline/target/llm-pipeline.jar)
missing=0; for j in "${JARS[@]}"; do [ -f "$j" ] || missing=1; done
if ((REBUILD || missing)); then
  need mvn "apt-get install -y maven"
  say "building the jars (mvn -q -DskipTests package, a few minutes the first time)"
  mvn -q -B -ntp -DskipTests package -pl simulator,agent,demo-app,pipeline -am
fi

# ---------------------------------------------------------------- helpers
start() { # name, command...: runs in the background, output to $RUN/name.log
  local name=$1; shift
  "$@" >"$RUN/$name.log" 2>&1 &
  PIDS+=($!)
  echo $! >"$RUN/$name.pid"
}
wait_http() { # what, url, pid file, seconds
  local what=$1 url=$2 pid; pid=$(cat "$RUN/$3.pid")
  for _ in $(seq 1 $(($4 * 2))); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { tail -30 "$RUN/$3.log" >&2; die "$what exited (log $RUN/$3.log)"; }
    sleep 0.5
  done
  tail -30 "$RUN/$3.log" >&2; die "$what not up after $4s (log $RUN/$3.log)"
}
# one pipeline alert event (JSON line) -> "kind provider/model @ region: detail"
event_line() {
  sed -E 's/.*"kind":"([^"]*)".*"provider":"([^"]*)","model":"([^"]*)","region":"([^"]*)".*"detail":"([^"]*)".*/    \1 \2\/\3 @ \4: \5/'
}
elapsed() { echo $(( $(date +%s) - SPIKE_AT ))s; }
prom_query() { curl -fsS -G "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1" 2>/dev/null || true; }
am_alerts() {
  curl -fsS -G "http://127.0.0.1:$AM_PORT/api/v2/alerts" \
    --data-urlencode "filter=alertname=\"${1:-LlmLatencySpike}\"" --data-urlencode "filter=region=\"$SPIKE_REGION\"" 2>/dev/null || true
}

# ---------------------------------------------------------------- start
EXTRA_DETECTOR_FLAGS=()
# --extra: model drift must show within the demo, not after the default 30 minutes of stability
((EXTRA)) && EXTRA_DETECTOR_FLAGS=(-D detector.drift.stable=20s -D detector.drift.min.observations=5)
say "run directory (logs, configs): $RUN"
start simulator java -Xmx256m -jar simulator/target/llm-simulator.jar --port "$SIM_PORT"
wait_http simulator "http://127.0.0.1:$SIM_PORT/_sim/health" simulator 60

start pipeline java -Xmx768m -jar pipeline/target/llm-pipeline.jar \
  --otlp-host 127.0.0.1 --otlp-port "$OTLP_PORT" --metrics-port "$METRICS_PORT" \
  --window "$WINDOW" --out-of-orderness 1s --idle-timeout 2s --alerts-out "$RUN/alerts.jsonl" \
  --data-dir "$RUN/data" \
  -D detector.warmup.windows="$WARMUP_WINDOWS" -D detector.min.calls=3 -D detector.close.windows=2 \
  -D detector.stall.completion.lag=1s "${EXTRA_DETECTOR_FLAGS[@]}"
wait_http "pipeline /metrics" "http://127.0.0.1:$METRICS_PORT/metrics" pipeline 120

HOOK=0
if command -v python3 >/dev/null 2>&1 && port_free "$HOOK_PORT"; then
  # A tiny webhook receiver standing in for Slack/PagerDuty: prints each notification.
  cat >"$RUN/webhook.py" <<'PY'
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        for a in body.get("alerts", []):
            l = a.get("labels", {})
            print(f"webhook: {a.get('status')} {l.get('alertname')} kind={l.get('kind')} provider={l.get('provider')} "
                  f"model={l.get('model')} region={l.get('region')} | {a.get('annotations', {}).get('summary', '')}", flush=True)
        self.send_response(200); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
  start webhook python3 "$RUN/webhook.py" "$HOOK_PORT"
  HOOK=1
fi

AM=0
if [ -n "$AM_BIN" ] && port_free "$AM_PORT"; then
  cat >"$RUN/alertmanager.yml" <<EOF
# demo copy of alerts/alertmanager.yml with short waits and the local webhook receiver
route:
  receiver: webhook
  group_by: [alertname, service, provider]
  group_wait: 2s
  group_interval: 5s
  repeat_interval: 1h
receivers:
  - name: webhook
    webhook_configs:
      - url: 'http://127.0.0.1:$HOOK_PORT/alerts'
        send_resolved: true
EOF
  start alertmanager "$AM_BIN" --config.file="$RUN/alertmanager.yml" --storage.path="$RUN/am-data" \
    --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address=
  wait_http alertmanager "http://127.0.0.1:$AM_PORT/-/ready" alertmanager 60
  AM=1
elif [ -z "$AM_BIN" ]; then
  say "Alertmanager not installed (apt-get install -y prometheus-alertmanager): skipping it"
else
  say "port $AM_PORT busy: skipping Alertmanager"
fi

PROM=0
if [ -n "$PROM_BIN" ] && port_free "$PROM_PORT"; then
  {
    echo "global: {scrape_interval: 2s, evaluation_interval: 2s}"
    echo "rule_files:"; for r in "$ROOT"/alerts/*.rules.yml; do echo "  - '$r'"; done
    ((AM)) && printf 'alerting:\n  alertmanagers:\n    - static_configs: [{targets: ["127.0.0.1:%s"]}]\n' "$AM_PORT"
    echo "scrape_configs:"
    echo "  - {job_name: llm-pipeline, static_configs: [{targets: ['127.0.0.1:$METRICS_PORT']}]}"
  } >"$RUN/prometheus.yml"
  start prometheus "$PROM_BIN" --config.file="$RUN/prometheus.yml" --storage.tsdb.path="$RUN/prom-data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --rules.alert.resend-delay=5s
  wait_http prometheus "http://127.0.0.1:$PROM_PORT/-/ready" prometheus 60
  PROM=1
elif [ -z "$PROM_BIN" ]; then
  say "Prometheus not installed (apt-get install -y prometheus): skipping it"
else
  say "port $PROM_PORT busy: skipping Prometheus"
fi

start demo-app java -Xmx512m -javaagent:agent/target/llm-otel-javaagent.jar \
  -Dotel.service.name=demo-app -Dotel.exporter.otlp.endpoint="http://127.0.0.1:$OTLP_PORT" \
  -Dotel.exporter.otlp.protocol=http/protobuf -Dotel.metric.export.interval=1000 -Dotel.logs.exporter=none \
  -Dotel.bsp.schedule.delay=500 \
  -jar demo-app/target/llm-demo-app.jar --simulator "http://127.0.0.1:$SIM_PORT" --rps 25 --concurrency 64

urls() {
  say "look at:"
  echo "    pipeline metrics   http://127.0.0.1:$METRICS_PORT/metrics"
  echo "    alert events       $RUN/alerts.jsonl"
  ((PROM)) && echo "    Prometheus         http://127.0.0.1:$PROM_PORT/alerts   (graph: llm_latency_seconds{quantile=\"0.95\"})"
  ((AM)) && echo "    Alertmanager       http://127.0.0.1:$AM_PORT/#/alerts"
  ((HOOK)) && echo "    webhook receiver   $RUN/webhook.log"
  echo "    simulator          http://127.0.0.1:$SIM_PORT/_sim/stats"
  echo "    Grafana dashboards dashboards/*.json (import into a Grafana pointing at the Prometheus above)"
}
urls

# ---------------------------------------------------------------- traffic + warm-up
say "waiting for LLM spans to reach the pipeline"
for i in $(seq 1 120); do
  # (captured first: grep -q closing the pipe early would fail curl under pipefail)
  m=$(curl -fsS "http://127.0.0.1:$METRICS_PORT/metrics" 2>/dev/null || true)
  grep -q "^llm_calls_total{.*region=\"$SPIKE_REGION\"" <<<"$m" && break
  kill -0 "$(cat "$RUN/demo-app.pid")" 2>/dev/null || { tail -20 "$RUN/demo-app.log"; die "demo app exited"; }
  ((i == 120)) && die "no llm_calls_total for region $SPIKE_REGION after 120s (logs in $RUN)"
  sleep 1
done
w=${WINDOW%s}; warm=$(( (WARMUP_WINDOWS + 3) * w ))
say "traffic flows ($(grep -c '^llm_calls_total' <<<"$m") call series); detectors learn the baseline for ${warm}s"
for ((s=warm; s>0; s-=5)); do printf '\r    %3ds left ' "$s"; sleep 5; done; printf '\r%20s\r' ''

# ---------------------------------------------------------------- incident
INCIDENT=$(printf '{"kind":"latency_spike","provider":"%s","region":"%s","extraLatencyMs":%s,"durationSeconds":%s}' \
  "$SPIKE_PROVIDER" "$SPIKE_REGION" "$SPIKE_MS" "$SPIKE_SECONDS")
curl -fsS -XPOST "http://127.0.0.1:$SIM_PORT/_sim/incidents" -H 'content-type: application/json' -d "$INCIDENT" >/dev/null
SPIKE_AT=$(date +%s)
say "INCIDENT: +${SPIKE_MS}ms latency on $SPIKE_PROVIDER calls served from \"$SPIKE_REGION\" for ${SPIKE_SECONDS}s"
if ((EXTRA)); then
  curl -fsS -XPOST "http://127.0.0.1:$SIM_PORT/_sim/incidents" -H 'content-type: application/json' \
    -d '{"kind":"throttling_storm","provider":"anthropic","rate":0.6,"durationSeconds":40}' >/dev/null
  curl -fsS -XPOST "http://127.0.0.1:$SIM_PORT/_sim/incidents" -H 'content-type: application/json' \
    -d '{"kind":"model_version_change","provider":"openai","model":"gpt-4o","responseModel":"gpt-4o-2025-01-31","durationSeconds":120}' >/dev/null
  say "INCIDENT: 429 storm on anthropic (60% of calls, 40s) and a new gpt-4o version on openai"
fi

# ---------------------------------------------------------------- watch
# Alerts reach Alertmanager only through Prometheus: with both, the demo follows the alert to the
# end; otherwise it follows the pipeline's own anomaly events.
FULL=0; ((PROM && AM)) && FULL=1
opened=0; prom_firing=0; am_firing=0; resolved_pipe=0; am_resolved=0; stall_opened=0; am_stall=0
deadline=$(( SPIKE_AT + SPIKE_SECONDS + 240 ))
while (( $(date +%s) < deadline )); do
  if ((!opened)) && grep -q '"kind":"latency_spike","state":"firing"' "$RUN/alerts.jsonl" 2>/dev/null; then
    opened=1; say "$(elapsed): pipeline opened the anomaly:"
    grep '"kind":"latency_spike","state":"firing"' "$RUN/alerts.jsonl" | head -3 | event_line || true
  fi
  # the slow calls page first, while still in flight (stall, from the agent's in-flight metrics)
  if ((!stall_opened)) && grep -q '"kind":"stall","state":"firing"' "$RUN/alerts.jsonl" 2>/dev/null; then
    stall_opened=1; say "$(elapsed): pipeline opened a stall while the slow calls are still in flight:"
    grep '"kind":"stall","state":"firing"' "$RUN/alerts.jsonl" | head -3 | event_line || true
  fi
  if ((AM && !am_stall)) && grep -q '"state":"active"' <<<"$(am_alerts LlmCallsStalled)"; then
    am_stall=1; say "$(elapsed): Alertmanager has LlmCallsStalled (page before any slow call completed)"
  fi
  ((PROM)) && p=$(prom_query 'ALERTS{alertname="LlmLatencySpike",alertstate="firing"}') || p=""
  ((AM)) && a=$(am_alerts) || a=""
  if ((PROM && !prom_firing)) && grep -q '"alertname"' <<<"$p"; then
    prom_firing=1; say "$(elapsed): Prometheus rule LlmLatencySpike is firing"
  fi
  if ((AM && !am_firing)) && grep -q '"state":"active"' <<<"$a"; then
    am_firing=1; say "$(elapsed): Alertmanager has the alert (http://127.0.0.1:$AM_PORT/#/alerts):"
    grep -o '"labels":{[^}]*}' <<<"$a" | head -3 | sed 's/"labels"://; s/^/    labels /' || true
    grep -o '"summary":"[^"]*"' <<<"$a" | head -1 | sed 's/\\u003e/>/g; s/^/    /' || true
  fi
  if ((opened && !resolved_pipe)) && grep -q '"kind":"latency_spike","state":"resolved"' "$RUN/alerts.jsonl" 2>/dev/null; then
    resolved_pipe=1; say "$(elapsed): pipeline resolved the anomaly (spike ended at ${SPIKE_SECONDS}s)"
  fi
  if ((AM && am_firing && !am_resolved)) && ! grep -q '"state":"active"' <<<"$a"; then
    am_resolved=1; say "$(elapsed): the alert resolved in Alertmanager"
  fi
  # done when the furthest stage available has fired and resolved
  if ((FULL)); then ((am_firing && am_resolved)) && break
  else ((opened && resolved_pipe)) && break; fi
  sleep 1
done
if ((HOOK)); then
  for _ in $(seq 1 15); do grep -q '^webhook: resolved LlmLatencySpike' "$RUN/webhook.log" 2>/dev/null && break; sleep 1; done
  [ -s "$RUN/webhook.log" ] && { say "webhook notifications:"; sed 's/^/    /' "$RUN/webhook.log"; }
fi

ok=0
if ((FULL)); then ((am_firing && am_resolved)) && ok=1; else ((opened && resolved_pipe)) && ok=1; fi
if ((ok)); then say "DONE: the spike was detected, alerted and resolved"; else
  say "the incident did not go all the way through (opened=$opened prometheus=$prom_firing alertmanager=$am_firing resolved=$resolved_pipe/$am_resolved); logs in $RUN"
fi
if ((CI_MODE)); then ((ok)) && exit 0 || exit 1; fi
urls
say "the stack keeps running: inject more incidents, e.g."
echo "    curl -XPOST localhost:$SIM_PORT/_sim/incidents -H 'content-type: application/json' -d '$INCIDENT'"
say "press Ctrl-C to stop everything"
while sleep 3600; do :; done
