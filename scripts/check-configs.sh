#!/usr/bin/env bash
# Checks every operations config with its own tool (called by scripts/test.sh before mvn verify):
# Prometheus rules + their unit tests, Prometheus configs, Alertmanager config, docker-compose,
# Grafana dashboards (JSON validity and the shape the e2e test relies on).
set -euo pipefail
cd "$(dirname "$0")/.."

fail=0
step() { printf '[check-configs] %s\n' "$*"; }
run() { if ! "$@"; then echo "[check-configs] FAILED: $*" >&2; fail=1; fi; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "[check-configs] missing tool $1 (apt-get install -y $2)" >&2; exit 1; }; }

need promtool prometheus
need amtool prometheus-alertmanager
need docker-compose docker-compose
need python3 python3

step "promtool check rules"
run promtool check rules alerts/*.rules.yml

step "promtool test rules"
shopt -s nullglob
tests=(alerts/tests/*.yml)
((${#tests[@]})) || { echo "[check-configs] no rule tests in alerts/tests" >&2; fail=1; }
for t in "${tests[@]}"; do run promtool test rules "$t"; done

step "amtool check-config"
run amtool check-config alerts/alertmanager.yml

step "promtool check config"
for c in deploy/prometheus/*.yml; do run promtool check config "$c"; done

step "docker-compose config"
run docker-compose -f docker-compose.yml config -q

step "dashboards: JSON validity"
for d in dashboards/*.json; do
  if ! python3 -m json.tool "$d" >/dev/null; then echo "[check-configs] FAILED: invalid JSON $d" >&2; fail=1; fi
done

step "every alert rule has a firing and a silent unit test"
run python3 - <<'PY'
import glob, re, sys
rules = re.findall(r"^\s*- alert: (\S+)", "".join(open(f).read() for f in glob.glob("alerts/*.rules.yml")), re.M)
tests = "".join(open(f).read() for f in glob.glob("alerts/tests/*.yml"))
# a test entry: "alertname: X" then either "exp_alerts: []" (silent) or a non-empty list (firing)
entries = re.findall(r"alertname: (\S+?),?\s*\n?\s*exp_alerts:\s*(\[\])?", tests)
missing = []
for r in rules:
    kinds = {("silent" if empty else "firing") for name, empty in entries if name == r}
    for k in ("firing", "silent"):
        if k not in kinds: missing.append(f"{r}: no {k} test")
for m in missing: print("  " + m, file=sys.stderr)
print(f"  {len(rules)} rules, {len(entries)} alert_rule_test entries")
sys.exit(1 if missing or not rules else 0)
PY

step "dashboards: unique uids, template variables, every panel has a PromQL target"
run python3 - <<'PY'
import glob, json, sys
uids, bad = {}, []
for path in sorted(glob.glob("dashboards/*.json")):
    d = json.load(open(path))
    if d.get("uid") in uids: bad.append(f"{path}: uid {d.get('uid')} also in {uids[d['uid']]}")
    uids[d.get("uid")] = path
    names = {v["name"] for v in d.get("templating", {}).get("list", [])}
    for need in ("datasource", "service", "provider", "model", "region"):
        if need not in names: bad.append(f"{path}: template variable {need} missing")
    def panels(ps):
        for p in ps:
            yield p
            yield from panels(p.get("panels", []))
    for p in panels(d.get("panels", [])):
        if p.get("type") == "row": continue
        exprs = [t.get("expr", "").strip() for t in p.get("targets", [])]
        if not exprs or not all(exprs): bad.append(f"{path}: panel '{p.get('title')}' has a target without expr")
for b in bad: print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

step "provisioning and collector YAML parse (when python3-yaml is installed)"
if python3 -c 'import yaml' 2>/dev/null; then
  for y in dashboards/provisioning/*/*.yml deploy/otel-collector/*.yaml; do
    run python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$y"
  done
else
  echo "  python3-yaml not installed: skipped"
fi

if ((fail)); then echo "[check-configs] some checks FAILED" >&2; exit 1; fi
step "all configs OK"
