#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 needs >=3.8,<3.11; we pin 3.10).
# Looks at python3.10 on PATH, then pyenv's installed versions; else explains what to install.
set -euo pipefail
is_310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; }
if [ -n "${PYTHON:-}" ] && is_310 "$PYTHON"; then echo "$PYTHON"; exit 0; fi
for candidate in "$(command -v python3.10 2>/dev/null || true)" \
                 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin/python \
                 /usr/local/bin/python3.10 /usr/bin/python3.10; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && is_310 "$candidate"; then
    echo "$candidate"; exit 0
  fi
done
cat >&2 <<'MSG'
Knotcare needs Python 3.10 (Rasa 3.6 does not run on 3.11 or newer), and none was found.
Install it with your usual tool, then run `make run` again, for example:
  pyenv install 3.10.13            # pyenv (any OS)
  sudo apt-get install python3.10 python3.10-venv   # Debian/Ubuntu with 3.10 available
  brew install python@3.10         # macOS
Or point to one: make run PYTHON=/path/to/python3.10
MSG
exit 1
