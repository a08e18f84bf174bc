#!/usr/bin/env bash
# The main job: install, ingest corpus/ into the embedded index, run a sample search.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/policykb ingest corpus/
.venv/bin/policykb search "技能大师工作室申报条件" --limit 3
