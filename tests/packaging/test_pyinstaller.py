"""The PyInstaller folder build (build.spec), built for real and then used the way an administrator would.

Slow (a build takes a minute or more), so it runs only with BRANCHDESK_TEST_BUILD=1; CI sets it.
The built programs run with a clean environment pointing BRANCHDESK_HOME at a temporary folder, so they
never touch the real per-user data folder.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import __version__
from desktop.db.migrate import head_revision
from desktop.services.demo import DEMO_USERS

ROOT = Path(__file__).resolve().parents[2]
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""

pytestmark = pytest.mark.skipif(
    os.environ.get("BRANCHDESK_TEST_BUILD") != "1",
    reason="builds the app with PyInstaller (minutes); set BRANCHDESK_TEST_BUILD=1 to run it",
)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """Build once for the whole module; return dist/branchdesk."""
    work = tmp_path_factory.mktemp("pyinstaller")
    result = subprocess.run(
        [
            sys.executable, "-m", "PyInstaller", "--noconfirm",
            "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
            "build.spec",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30 * 60,
    )
    assert result.returncode == 0, f"PyInstaller failed:\n{result.stdout[-5000:]}\n{result.stderr[-10000:]}"
    folder = work / "dist" / "branchdesk"
    assert (folder / f"branchdesk{EXE_SUFFIX}").is_file()
    assert (folder / f"branchdesk-cli{EXE_SUFFIX}").is_file()
    return folder


def session_env(home: Path) -> dict[str, str]:
    """The environment of a user's session: no Python settings leaking in, a private data folder."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k != "VIRTUAL_ENV"}
    clean["BRANCHDESK_HOME"] = str(home)
    return clean


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    return session_env(tmp_path / "home")


def run(bundle: Path, program: str, *args, env: dict[str, str], timeout: float):
    """Run one of the built programs as a user would, capturing what it prints."""
    return subprocess.run(
        [str(bundle / f"{program}{EXE_SUFFIX}"), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",  # the build runs Python in UTF-8 mode (build.spec), whatever the console code page
        errors="replace",
        env=env,
        timeout=timeout,
    )


def test_the_cli_prints_its_version(bundle, env):
    result = run(bundle, "branchdesk-cli", "--version", env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"BranchDesk {__version__}"


def test_db_upgrade_creates_the_database_at_the_newest_schema(bundle, env, tmp_path):
    db_file = tmp_path / "t.sqlite3"
    result = run(bundle, "branchdesk-cli", "--db", db_file, "db", "upgrade", env=env, timeout=180)
    assert result.returncode == 0, result.stderr
    assert "newest schema" in result.stdout
    assert db_file.is_file()
    with sqlite3.connect(db_file) as conn:  # every migration of the source tree made it into the bundle
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(head_revision(),)]


@pytest.fixture(scope="module")
def demo_db(bundle, tmp_path_factory) -> tuple[Path, dict[str, str], str]:
    """A database filled by the built `demo` command, with what the command printed."""
    folder = tmp_path_factory.mktemp("demo")
    env = session_env(folder / "home")
    db_file = folder / "demo.sqlite3"
    upgrade = run(bundle, "branchdesk-cli", "--db", db_file, "db", "upgrade", env=env, timeout=180)
    assert upgrade.returncode == 0, upgrade.stderr
    result = run(bundle, "branchdesk-cli", "--db", db_file, "demo", env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    return db_file, env, result.stdout


def test_demo_fills_a_new_database(demo_db):
    _, _, printed = demo_db
    assert "demo data:" in printed and "customers" in printed
    for username, display_name, _ in DEMO_USERS:  # Chinese names printed without an encoding error
        assert username in printed and display_name in printed


def test_printing_and_export_work_from_the_bundle(bundle, demo_db, tmp_path):
    """ReportLab (barcodes, the CJK font) and openpyxl load parts of themselves by name at run time."""
    db_file, env, _ = demo_db
    labels, register = tmp_path / "labels.pdf", tmp_path / "complaints.xlsx"
    result = run(
        bundle, "branchdesk-cli", "--db", db_file, "print", "bin-labels", "--zone", "A", "--out", labels,
        env=env, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "bin labels" in result.stdout and labels.read_bytes().startswith(b"%PDF")
    result = run(bundle, "branchdesk-cli", "--db", db_file, "export", "complaints", "--out", register,
                 env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "exported" in result.stdout and register.read_bytes().startswith(b"PK")  # an .xlsx is a zip


def test_the_gui_program_passes_its_self_test(bundle, env):
    """`branchdesk` is the windowed program (no stdout on Windows): its exit code is what there is."""
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = run(bundle, "branchdesk", "--self-test", env=env, timeout=180)
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def test_the_cli_program_reports_the_self_test(bundle, env):
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = run(bundle, "branchdesk-cli", "--self-test", env=env, timeout=180)
    assert result.returncode == 0, result.stderr
    assert f"BranchDesk {__version__} self-test passed" in result.stdout


def test_the_folder_ships_migrations_as_source_and_qt_translations(bundle):
    internal = bundle / "_internal"
    versions = ROOT / "desktop" / "db" / "migrations" / "versions"
    shipped = internal / "desktop" / "db" / "migrations"
    assert (shipped / "env.py").is_file() and (shipped / "script.py.mako").is_file()
    assert {p.name for p in (shipped / "versions").glob("*.py")} == {p.name for p in versions.glob("*.py")}
    assert list(internal.rglob("qtbase_zh_CN.qm")), "Qt's own Chinese translation (dialog buttons) is missing"
    for ts in (ROOT / "desktop" / "resources" / "i18n").glob("*.ts"):  # ours, compiled
        assert (internal / "desktop" / "resources" / "i18n" / ts.with_suffix(".qm").name).is_file()
