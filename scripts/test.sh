#!/usr/bin/env bash
# The project's one test command (the README's second line; .ci/run calls it).
# Installs what the tests need on a fresh Debian machine, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v prometheus   >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v mvn >/dev/null 2>&1 || need+=(maven)
if ((${#need[@]})); then
  echo "[test] installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Config files checked by their own tools (promtool, amtool, docker-compose).
if [ -x scripts/check-configs.sh ]; then scripts/check-configs.sh; fi

# Two modules at a time (-T 2): the pipeline depends on no other module, so its tests run beside
# the agent's; Maven still orders every module after the ones it depends on.
mvn -B -ntp -T 2 verify "$@"
