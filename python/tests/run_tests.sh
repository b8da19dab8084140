#!/bin/sh
# ctest driver of the Python module (python/CMakeLists.txt):
#   run_tests.sh PYTHON VENV_DIR EXTENSION
# installs the package with the extension the build just made into a venv
# (created once, with the system site packages: Debian's pytest, setuptools,
# wheel) and runs the pytest suite there, from outside the source tree so
# that `import winnow` is the installed package.
set -eu
PY=$1
mkdir -p "$2"
VENV=$(cd "$2" && pwd)
EXT=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
PKG=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv --system-site-packages "$VENV"
fi
# Install from a copy of the package files: pip builds in the tree it is
# given, and the source tree stays clean.
STAGE="$VENV/pkg"
rm -rf "$STAGE"
mkdir -p "$STAGE"
cp -r "$PKG/setup.py" "$PKG/pyproject.toml" "$PKG/README.md" "$PKG/winnow" "$STAGE/"
WINNOW_PREBUILT_EXTENSION=$EXT "$VENV/bin/python" -m pip install --quiet \
  --no-build-isolation --no-index --no-deps --force-reinstall \
  --disable-pip-version-check "$STAGE"
cd "$VENV"
exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$PKG/tests"
