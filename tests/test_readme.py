"""The README's quick start runs as written: every command exits 0 and prints something."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text()


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def _console_commands() -> list[str]:
    return [line[2:] for block in _blocks("console") for line in block.splitlines()
            if line.startswith("$ ")]


def test_readme_names_the_two_commands() -> None:
    assert "make run" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, flags=re.M) and re.search(r"^test:", makefile, flags=re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_quick_start_commands_run_in_order(tmp_path: Path) -> None:
    commands = _console_commands()
    assert len(commands) >= 5
    zopa = Path(sys.executable).parent / "zopa"
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "zopa", command
        result = subprocess.run([str(zopa), *argv[1:]], cwd=tmp_path, capture_output=True,
                                text=True, timeout=300)
        assert result.returncode == 0, f"{command}\n{result.stderr}"
        assert result.stdout.strip() or "-o" in argv, command


@pytest.mark.parametrize("block", _blocks("python"))
def test_quick_start_python_runs(block: str, capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(block, "README.md", "exec"), {})
    assert capsys.readouterr().out.strip()


def test_documentation_links_resolve() -> None:
    for target in re.findall(r"\]\(([^)#]+\.md)\)", README):
        assert (ROOT / target).exists(), target
