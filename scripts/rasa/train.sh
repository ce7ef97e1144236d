#!/usr/bin/env bash
# Train an NLU-only Rasa model from nlu_data/ into .rasa/models (newest file wins in serve.sh).
# The random seed is fixed in nlu_data/config.yml (DIETClassifier random_seed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"  # Rasa's training cache goes to ./.rasa/cache, which is ignored by git
export RASA_TELEMETRY_ENABLED=false
exec .rasa/venv/bin/rasa train nlu --nlu "${RASA_NLU_DATA:-nlu_data/nlu}" \
  --config nlu_data/config.yml --out .rasa/models "$@"
