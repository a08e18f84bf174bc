#!/usr/bin/env bash
# Build tantivy-py with vendor/tantivy/*.patch applied to the tantivy crate and
# vendor/tantivy/binding/*.patch to the binding, and install it into .venv. The crate
# patches change how tantivy walks "at least k of n" and unions and how it counts distinct
# values, not what they match, score or count; the binding's add a one-pass facet counter
# (exact document counts) that the engine uses when present, merge_segments, and shared
# subqueries (a query tree built from Python no longer copies every level below it).
# Without them (no cargo here) the search gives the same answers, only slower, with
# document counts from a sketch; this script then says so in one line and leaves PyPI's
# wheel in place.
#
# Everything comes through its own client: the tantivy-py sdist through pip, the crates
# through cargo (crates.io), maturin through pip's build isolation. The wheel is cached
# under ${POLICYKB_CACHE:-~/.cache/policykb}/wheels, named by the patches' hash, so a second
# run (or a second clone) installs it in seconds.
#
# Usage: scripts/build_tantivy.sh        (run by scripts/setup.sh)
# POLICYKB_STOCK_TANTIVY=1 skips the build and keeps (or puts back) PyPI's wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="$PWD/.venv/bin/python"
VERSION=$(sed -n 's/^ *"tantivy==\([0-9.]*\)".*/\1/p' pyproject.toml)
[ -n "$VERSION" ] || { echo "build_tantivy: pyproject.toml must pin tantivy==X.Y.Z (the patch is for one version)" >&2; exit 1; }
PATCHES=(vendor/tantivy/*.patch)  # to the tantivy crate
BINDING=(vendor/tantivy/binding/*.patch)  # to tantivy-py, the binding
TAG=$(cat "${PATCHES[@]}" "${BINDING[@]}" | sha1sum | cut -c1-10)
LOCAL="${VERSION}+policykb.${TAG}"
installed=$("$PY" -c 'import importlib.metadata as m; print(m.version("tantivy"))' 2>/dev/null || true)

if [ "${POLICYKB_STOCK_TANTIVY:-}" = 1 ]; then
  if [ "$installed" != "$VERSION" ]; then
    "$PY" -m pip install --quiet --force-reinstall --no-deps --only-binary tantivy "tantivy==$VERSION"
  fi
  echo "build_tantivy: POLICYKB_STOCK_TANTIVY=1: PyPI's tantivy $VERSION (same answers, slower at-least-k-of-n)" >&2
  exit 0
fi
[ "$installed" = "$LOCAL" ] && exit 0
for tool in cargo patch; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build_tantivy: $tool not found: PyPI's tantivy $VERSION stays (same answers, slower at-least-k-of-n)" >&2
    exit 0
  fi
done

CACHE=${POLICYKB_CACHE:-$HOME/.cache/policykb}/wheels
mkdir -p "$CACHE"
wheel=$(ls "$CACHE"/tantivy-"${LOCAL}"-*.whl 2>/dev/null | head -1 || true)
if [ -z "$wheel" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  "$PY" -m pip download --quiet --no-deps --no-binary :all: "tantivy==$VERSION" -d "$work"
  tar -xzf "$work/tantivy-$VERSION.tar.gz" -C "$work"
  src="$work/tantivy-$VERSION"
  # The crate's source as cargo fetched it (its manifest path, from cargo itself).
  (cd "$src" && cargo fetch --quiet)
  crate_dir=$(cd "$src" && cargo metadata --format-version 1 --locked 2>/dev/null | "$PY" -c '
import json, sys
meta = json.load(sys.stdin)
print(next(p["manifest_path"] for p in meta["packages"] if p["name"] == "tantivy" and p["source"]).rsplit("/", 1)[0])')
  cp -r "$crate_dir" "$work/tantivy-crate"
  for patch_file in "${PATCHES[@]}"; do
    patch --quiet -d "$work/tantivy-crate" -p1 < "$patch_file"
  done
  for patch_file in "${BINDING[@]}"; do
    patch --quiet -d "$src" -p1 < "$patch_file"
  done
  # The binding package is also called tantivy: renamed, so cargo can tell it from the
  # patched dependency. The wheel's version carries the patch's hash.
  sed -i '0,/^name = "tantivy"$/s//name = "tantivy-py"/' "$src/Cargo.toml"
  printf '\n[patch.crates-io]\ntantivy = { path = "%s" }\n' "$work/tantivy-crate" >> "$src/Cargo.toml"
  sed -i "0,/^version = \"$VERSION\"$/s//version = \"$LOCAL\"/" "$src/pyproject.toml"
  echo "build_tantivy: building tantivy $LOCAL (a few minutes, once)" >&2
  "$PY" -m pip wheel --quiet --no-deps "$src" -w "$work/wheel"
  built=$(ls "$work"/wheel/tantivy-"${LOCAL}"-*.whl | head -1)
  wheel="$CACHE/$(basename "$built")"
  mv "$built" "$wheel.part" && mv "$wheel.part" "$wheel" # whole or absent, for a clone building beside
fi
"$PY" -m pip install --quiet --force-reinstall --no-deps "$wheel"
echo "build_tantivy: installed tantivy $LOCAL" >&2
