#!/usr/bin/env bash
# Regenerates the production lock files from pyproject.toml's runtime dependencies (never the dev
# extra), each package pinned with == and every file's sha256, for `pip install --require-hashes`:
#   requirements/production.txt  the runtime dependencies and the build backend (build.in)
#   requirements/s3.txt          what FILE_STORAGE=s3 adds (extra "s3"), on top of production.txt
#   requirements/redis.txt       what REDIS_URL adds (extra "redis"), on top of production.txt
# Run it after changing [project] dependencies; jalur/core/tests/test_deploy_guide.py fails while a
# lock no longer matches pyproject.toml. Existing pins are kept; `requirements/compile.sh --upgrade`
# moves every package to its newest allowed release. The tool (uv) goes into a throwaway venv.
set -euo pipefail
cd "$(dirname "$0")/.."

tool="$(mktemp -d "${TMPDIR:-/tmp}/jalur-lock.XXXXXX")"
trap 'rm -rf "$tool"' EXIT
python3 -m venv "$tool/venv"
"$tool/venv/bin/pip" install --quiet --disable-pip-version-check uv
uv="$tool/venv/bin/uv"

# One lock for every Linux machine and every Python Jalur supports (requires-python >= 3.11).
common=(--universal --python-version 3.11 --generate-hashes --quiet
  --custom-compile-command "requirements/compile.sh" "$@")

"$uv" pip compile pyproject.toml requirements/build.in -c requirements/constraints.txt "${common[@]}" -o requirements/production.txt

# The extras' locks hold only what production.txt lacks, resolved against its pins.
in_production=()
while read -r name; do in_production+=(--no-emit-package "$name"); done < <(
  sed -n 's/^\([A-Za-z0-9._-]*\)==.*/\1/p' requirements/production.txt)
for extra in s3 redis; do
  "$uv" pip compile pyproject.toml --extra "$extra" -c requirements/production.txt -c requirements/constraints.txt \
    "${in_production[@]}" "${common[@]}" -o "requirements/$extra.txt"
done
