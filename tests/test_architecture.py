"""The layers of ARCHITECTURE.md hold: import-linter's contracts are kept."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_import_contracts_are_kept() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_version_has_one_source() -> None:
    from importlib.metadata import version

    import zopa

    assert zopa.__version__ == version("zopa")
    assert "version =" not in (ROOT / "pyproject.toml").read_text().split("[tool.")[0]


def test_core_imports_no_optional_dependency() -> None:
    code = ("import sys, zopa.analysis, zopa.scenario, zopa.formats, zopa.catalog; "
            "heavy = {'negmas', 'dask', 'fastapi', 'sqlalchemy', 'plotly'} & set(sys.modules); "
            "print(sorted(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == "[]", result.stderr
