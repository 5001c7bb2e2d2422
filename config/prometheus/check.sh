#!/usr/bin/env sh
# Checks the Prometheus configuration as the container loads it and runs the alert rules' unit
# tests. Needs promtool (Debian: apt-get install prometheus; or the prom/prometheus image:
#   docker run --rm -v "$PWD/config/prometheus:/etc/prometheus:ro" --entrypoint /bin/sh \
#     prom/prometheus:v2.54.1 /etc/prometheus/check.sh).
# MonitoringConfigTest runs the same two commands in the test suite.
set -eu
cd "$(dirname "$0")"
promtool check config prometheus.yml
promtool test rules alerts.test.yml
