"""Read and write scenarios as YAML or JSON, with errors that name the file and line.

YAML is parsed with PyYAML's safe loader only (no arbitrary objects), bounded by
:mod:`zopa.formats.yaml_safe` (nodes counted with aliases expanded, nesting
limited). Parsing keeps the node tree so that a validation error at a field path
can be traced back to the line where that field is written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

import yaml

from zopa.errors import LimitError, ScenarioError
from zopa.formats.reading import STDIN, read_stdin, read_text
from zopa.formats.yaml_safe import BoundedLoader
from zopa.limits import check_document
from zopa.scenario import Scenario, scenario_from_data, scenario_to_data

__all__ = ["dump_scenario", "dumps_scenario", "load_scenario", "loads_scenario"]

Format = Literal["yaml", "json"]


def _line_of(node: yaml.Node | None, path: tuple[str | int, ...]) -> int | None:
    """1-based line of the deepest node reachable along ``path``."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            if match is None:
                return line
            key_line = next(k.start_mark.line + 1 for k, v in node.value if k.value == part)
            node, line = match, key_line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _parse_yaml(text: str, name: str) -> tuple[Any, yaml.Node | None]:
    loader = None
    try:
        loader = BoundedLoader(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or error.context or "invalid YAML"
        raise ScenarioError(f"YAML syntax error: {problem}", file=name, line=line) from None
    except yaml.reader.ReaderError as error:
        raise ScenarioError(f"YAML error: unacceptable character #x{error.character:04x}",
                            file=name, line=text.count("\n", 0, error.position) + 1) from None
    except yaml.YAMLError as error:
        raise ScenarioError(f"YAML error: {error}", file=name) from None
    except ValueError as error:  # PyYAML's scanner on "%YAML 1.<5,000 digits>"
        line = loader.get_mark().line + 1 if loader is not None else None
        raise ScenarioError(f"YAML error: {error}", file=name, line=line) from None
    except LimitError as error:
        raise error.located(file=name) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, node


def _parse_json(text: str, name: str) -> Any:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ScenarioError(f"JSON syntax error: {error.msg}", file=name,
                            line=error.lineno) from None
    except RecursionError:
        raise ScenarioError("JSON nested too deeply", file=name) from None
    except ValueError as error:  # an integer of more than 4,300 digits
        long = re.search(r"\d{4300}", text)
        line = text.count("\n", 0, long.start()) + 1 if long else None
        raise ScenarioError(f"JSON value error: {error}", file=name, line=line) from None
    check_document(data, name)
    _check_surrogates(data, text, name)
    return data


def _check_surrogates(data: Any, text: str, name: str) -> None:
    """Refuse strings holding half a surrogate pair (``"\\ud800"`` in JSON): they are not text."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack += [*value.keys(), *value.values()]
        elif isinstance(value, list):
            stack += value
        elif isinstance(value, str) and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as error:
                escape = f"\\u{ord(value[error.start]):04x}"
                found = [at for at in (text.lower().find(escape), text.find(value[error.start]))
                         if at >= 0]
                raise ScenarioError(f"{escape} is half of a surrogate pair, not a character",
                                    file=name, line=text.count("\n", 0, min(found)) + 1
                                    if found else None) from None


def loads_scenario(text: str, *, name: str = "<string>", format: Format = "yaml") -> Scenario:
    """Parse a scenario from text.

    JSON is a subset of YAML, so ``format="yaml"`` also reads JSON documents
    (with line numbers); ``format="json"`` uses the strict JSON parser.

    Raises
    ------
    ScenarioError
        Naming ``name``, the line and the field, and what was expected.
    """
    if format == "json":
        data, node = _parse_json(text, name), None
    else:
        data, node = _parse_yaml(text, name)
    if data is None:
        raise ScenarioError("the file is empty; expected a scenario", file=name, line=1)
    try:
        return scenario_from_data(data)
    except ScenarioError as error:
        line = _line_of(node, error.path) if node is not None else None
        raise error.located(file=name, line=line) from None


def load_scenario(path: str | Path) -> Scenario:
    """Load a scenario from a ``.yaml``/``.yml``/``.json`` file, or ``-`` for standard input."""
    if str(path) == "-":
        return loads_scenario(read_stdin(), name=STDIN)
    text = read_text(path, expected="a scenario file")
    return loads_scenario(text, name=str(path),
                          format="json" if Path(path).suffix == ".json" else "yaml")


def dumps_scenario(scenario: Scenario, *, format: Format = "yaml") -> str:
    """The scenario as YAML or JSON text that :func:`loads_scenario` reads back unchanged."""
    data = scenario_to_data(scenario)
    if format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def dump_scenario(scenario: Scenario, path: str | Path) -> None:
    """Write a scenario to a file; JSON if the name ends in ``.json``, YAML otherwise.

    The file is written to a temporary name first and renamed, so an error
    never leaves a half-written scenario behind.
    """
    file = Path(path)
    text = dumps_scenario(scenario, format="json" if file.suffix == ".json" else "yaml")
    temporary = file.with_name(f".{file.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(file)
