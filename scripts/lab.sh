#!/usr/bin/env bash
# Start JupyterLab on notebooks/ with the project's environment (.venv, with the 'lab' extra).
# As root (containers, CI) JupyterLab refuses to start unless told --allow-root; an ordinary user needs nothing.
# Extra arguments are passed on, e.g. --no-browser --ip 127.0.0.1 --port 8899. The notebooks are those of
# $BRIEFINGS_ROOT (default: this checkout), as for the rest of the package.
set -euo pipefail
notebooks="$(cd "${BRIEFINGS_ROOT:-$(dirname "$0")/..}" && pwd)/notebooks"
cd "$(dirname "$0")/.."
lab=.venv/bin/jupyter-lab
if [[ ! -x "$lab" ]]; then
  echo "error: JupyterLab is not installed in .venv: run make lab (it installs the optional 'lab' extra)" >&2
  exit 1
fi
root=()
[[ $(id -u) -eq 0 ]] && root=(--allow-root)
exec "$lab" ${root[@]+"${root[@]}"} --notebook-dir="$notebooks" "$@"
