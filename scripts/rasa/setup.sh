#!/usr/bin/env bash
# Create the optional Rasa 3.6 NLU server environment in .rasa/venv, apart from the bot's venv.
# Idempotent: re-running only installs what is missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/.rasa/venv"

# Debian build deps: matplotlib 3.5 has no cp311 wheel and is compiled against system
# freetype and qhull (see mplsetup.cfg), because its default build downloads them.
pkgs=(build-essential pkg-config libfreetype6-dev libqhull-dev)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ -x "$venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$venv"
export PIP_DISABLE_PIP_VERSION_CHECK=1 RASA_TELEMETRY_ENABLED=false
export MPLSETUPCFG="$here/mplsetup.cfg"  # absolute: pip builds in a temporary directory
"$venv/bin/python" -m pip install -q --upgrade pip
# Rasa 3.6.21 declares Python <3.11; it works on 3.11 with the pins in constraints.txt.
"$venv/bin/python" -m pip install --ignore-requires-python -c "$here/constraints.txt" \
  rasa==3.6.21 dask==2022.10.2
"$venv/bin/rasa" --version
