"""Set up and run BranchDesk with nothing but Python 3.11+ installed.

    python3 tasks.py run  [branchdesk arguments…]   # GUI (or any CLI command) on the default database
    python3 tasks.py test [pytest arguments…]       # the whole test suite
    python3 tasks.py build                          # PyInstaller one-folder build (dist/branchdesk)

The first call creates `.venv` beside this file and installs the project with the pinned versions of
`requirements.lock`; later calls reinstall only when pyproject.toml or the lock file changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
EXTRAS = {"run": "", "test": "[test,build]", "build": "[test,build]"}  # the suite builds with PyInstaller too


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_env(extras: str) -> Path:
    if sys.version_info < (3, 11):
        sys.exit(f"BranchDesk needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not venv_python().exists():
        print(f"Creating {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    fingerprint = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + LOCK.read_bytes() + extras.encode()
    ).hexdigest()
    stamp = VENV / f".installed{extras or '[run]'}"
    if not stamp.exists() or stamp.read_text() != fingerprint:
        print("Installing BranchDesk and its pinned dependencies …", flush=True)
        pip = [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        subprocess.check_call(pip + ["-c", str(LOCK), "-e", f"{ROOT}{extras}"])
        stamp.write_text(fingerprint)
    return venv_python()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in EXTRAS:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    python = str(ensure_env(EXTRAS[command]))
    if command == "run":
        return subprocess.call([python, "-m", "desktop", *rest])
    if command == "test":
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        return subprocess.call([python, "-m", "pytest", *rest], cwd=ROOT, env=env)
    return subprocess.call([python, "-m", "PyInstaller", "--noconfirm", "build.spec"], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
