"""The documentation stays true: every command is documented, every Python example runs."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from zopa.cli.app import app

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
KINDS = ("tutorials", "how-to", "explanation", "reference")


def _commands(typer_app: typer.Typer, prefix: str = "zopa") -> list[str]:
    found = [f"{prefix} {c.name or c.callback.__name__}" for c in typer_app.registered_commands]
    for group in typer_app.registered_groups:
        found += _commands(group.typer_instance, f"{prefix} {group.name}")
    return found


def test_every_command_is_in_the_cli_reference() -> None:
    reference = (DOCS / "reference" / "cli.md").read_text()
    for command in _commands(app):
        assert f"`{command}" in reference, command


def test_docs_come_in_four_kinds() -> None:
    for kind in KINDS:
        assert list((DOCS / kind).glob("*.md")), kind
    assert (DOCS / "scenario-format.md").exists()


def _python_blocks() -> list[pytest.ParameterSet]:
    blocks = []
    for page in sorted(DOCS.rglob("*.md")):
        for n, block in enumerate(re.findall(r"```python\n(.*?)```", page.read_text(), re.S)):
            blocks.append(pytest.param(block, id=f"{page.relative_to(DOCS)}#{n}"))
    return blocks


@pytest.mark.parametrize("block", _python_blocks())
def test_python_examples_run(block: str) -> None:
    exec(compile(block, "doc", "exec"), {})


def _tutorial_commands() -> list[pytest.ParameterSet]:
    commands = []
    for page in sorted((DOCS / "tutorials").glob("*.md")):
        for block in re.findall(r"```console\n(.*?)```", page.read_text(), re.S):
            commands += [pytest.param(line[2:], id=f"{page.name}:{line[2:]}")
                         for line in block.splitlines() if line.startswith("$ ")]
    return commands


@pytest.mark.parametrize("command", _tutorial_commands())
def test_tutorial_commands_run(command: str, tmp_path: Path) -> None:
    argv = shlex.split(command.split(">")[0])
    assert argv[0] == "zopa"
    zopa = Path(sys.executable).parent / "zopa"
    result = subprocess.run([str(zopa), *argv[1:]], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_internal_links_resolve() -> None:
    for page in DOCS.rglob("*.md"):
        for target in re.findall(r"\]\(([^)#:]+\.md)(?:#[^)]*)?\)", page.read_text()):
            assert (page.parent / target).resolve().exists(), f"{page}: {target}"
