#!/usr/bin/env bash
# Serve the newest NLU model over HTTP on loopback (POST /model/parse); trains one if none exists.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
export RASA_TELEMETRY_ENABLED=false
newest() { ls -1t .rasa/models/*.tar.gz 2>/dev/null | head -n 1 || true; }
model="$(newest)"
if [ -z "$model" ]; then
  "$here/train.sh"
  model="$(newest)"
fi
exec .rasa/venv/bin/rasa run --enable-api -m "$model" --port "${RASA_PORT:-5005}" -i 127.0.0.1
