"""Resource limits: how large an input zopa accepts and how much work it starts.

Every limit has a default that fits an ordinary laptop and every real scenario we
know of, and an environment variable that raises (or lowers) it. The variables
are read when a limit is checked, not on import, so a process can change them
while it runs. Going over a limit raises :class:`~zopa.errors.LimitError`, whose
message names the limit, the value found and the variable to set:

=============================  ============================  ===========================
limit                          variable                      default
=============================  ============================  ===========================
``max_file_bytes``             ``ZOPA_MAX_FILE_BYTES``       20,000,000 (20 MB)
``max_document_nodes``         ``ZOPA_MAX_DOCUMENT_NODES``   1,000,000
``max_parties``                ``ZOPA_MAX_PARTIES``          250
``max_issues``                 ``ZOPA_MAX_ISSUES``           500
``max_options_per_issue``      ``ZOPA_MAX_OPTIONS``          250
``max_deal_space_bytes``       ``ZOPA_MAX_DEAL_SPACE_BYTES`` 2,000,000,000 (2 GB), or half
                                                             the physical memory if smaller
``max_monte_carlo_runs``       ``ZOPA_MAX_MONTE_CARLO_RUNS`` 1,000,000
=============================  ============================  ===========================

``max_document_nodes`` bounds the values (numbers, strings, lists, mappings) of one
scenario document, with YAML aliases expanded: reading costs about 1 KB of memory per
value, so a small file cannot make the reader exhaust memory (an "alias bomb") and a
large one is refused while it is read. The ukraine-2025 scenario has about 9,000.

250 parties and 250 options per issue are KTAB's own bound on actors (importers
make one option per distinct actor position, so an issue may have as many options
as there are parties). ``max_deal_space_bytes`` is the memory the exact Pareto
frontier merge may use: each merge step estimates the arrays it needs before
allocating them and refuses when they would exceed it, so an analysis too large
for the machine stops with a message instead of being killed by the system.

Examples
--------
>>> limits = Limits.from_environment({"ZOPA_MAX_PARTIES": "400"})
>>> limits.max_parties, limits.max_issues
(400, 500)
>>> limits.check("max_parties", 401, what="parties")
Traceback (most recent call last):
...
zopa.errors.LimitError: 401 parties, above the limit of 400 (max_parties); to allow more, \
set the environment variable ZOPA_MAX_PARTIES=401 or higher
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from zopa.errors import FieldPath, LimitError, ScenarioError, ZopaError

__all__ = ["MAX_NESTING", "VARIABLES", "Limits", "check_document", "check_file_size",
           "check_scenario_size", "current_limits"]

_GB = 1_000_000_000
MAX_NESTING = 64
"""Deepest nesting of lists and mappings in a scenario document (the format needs about 8)."""

VARIABLES: dict[str, str] = {
    "max_file_bytes": "ZOPA_MAX_FILE_BYTES",
    "max_document_nodes": "ZOPA_MAX_DOCUMENT_NODES",
    "max_parties": "ZOPA_MAX_PARTIES",
    "max_issues": "ZOPA_MAX_ISSUES",
    "max_options_per_issue": "ZOPA_MAX_OPTIONS",
    "max_deal_space_bytes": "ZOPA_MAX_DEAL_SPACE_BYTES",
    "max_monte_carlo_runs": "ZOPA_MAX_MONTE_CARLO_RUNS",
}
"""The environment variable of each limit."""


def _default_deal_space_bytes() -> int:
    """2 GB, or half the physical memory when that is smaller (and known)."""
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # not available on this platform
        return 2 * _GB
    return min(2 * _GB, physical // 2) if physical > 0 else 2 * _GB


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits in force (see the module docstring for defaults and variables).

    Attributes
    ----------
    max_file_bytes
        Largest input file any reader accepts.
    max_document_nodes
        Most values in one scenario document (YAML aliases expanded).
    max_parties, max_issues, max_options_per_issue
        Largest scenario: checked when a :class:`~zopa.scenario.Scenario` is built.
    max_deal_space_bytes
        Memory the exact frontier merge may use for one step's arrays.
    max_monte_carlo_runs
        Most runs of one Monte Carlo experiment.
    """

    max_file_bytes: int = 20_000_000
    max_document_nodes: int = 1_000_000
    max_parties: int = 250
    max_issues: int = 500
    max_options_per_issue: int = 250
    max_deal_space_bytes: int = dataclasses.field(default_factory=_default_deal_space_bytes)
    max_monte_carlo_runs: int = 1_000_000

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults, overridden by the ``ZOPA_MAX_*`` variables that are set.

        Raises
        ------
        ZopaError
            If a variable is not a positive integer (``_`` separators are allowed).
        """
        environ = os.environ if environ is None else environ
        found: dict[str, int] = {}
        for name, variable in VARIABLES.items():
            text = environ.get(variable, "").strip()
            if not text:
                continue
            try:
                value = int(text)
            except ValueError:
                value = 0
            if value < 1:
                raise ZopaError(f"environment variable {variable}={text!r}: expected a "
                                "positive integer")
            found[name] = value
        return cls(**found)

    def check(self, limit: str, value: int, *, what: str, path: FieldPath = (),
              file: str | None = None, line: int | None = None) -> None:
        """Raise :class:`~zopa.errors.LimitError` if ``value`` is above the limit ``limit``.

        ``what`` names the thing counted (``"parties"``, ``"bytes in the file"``).
        """
        maximum = getattr(self, limit)
        if value > maximum:
            raise LimitError(what, value=value, maximum=maximum, limit=limit,
                             variable=VARIABLES[limit], path=path, file=file, line=line)


def current_limits() -> Limits:
    """The limits in force now: defaults overridden by the environment."""
    return Limits.from_environment()


def check_file_size(size: int, file: str) -> None:
    """Refuse a file of ``size`` bytes above ``max_file_bytes``, naming ``file``."""
    current_limits().check("max_file_bytes", size, what="bytes in the file", file=file)


def check_scenario_size(parties: int, options_per_issue: Sequence[int]) -> None:
    """Refuse a scenario with too many parties, issues, or options on one issue.

    Raises
    ------
    LimitError
        With the field path of the offending list (``parties``, ``issues``,
        ``issues[3].options``).
    """
    limits = current_limits()
    limits.check("max_parties", parties, what="parties", path=("parties",))
    limits.check("max_issues", len(options_per_issue), what="issues", path=("issues",))
    for index, count in enumerate(options_per_issue):
        limits.check("max_options_per_issue", count, what="options on one issue",
                     path=("issues", index, "options"))


def check_document(data: object, file: str | None = None) -> None:
    """Refuse parsed data nested deeper than :data:`MAX_NESTING` or above ``max_document_nodes``.

    Counts every value (a mapping counts itself, its keys and its values), without
    recursion, before the data reaches validation.

    Examples
    --------
    >>> check_document({"parties": [{"id": "a"}]}, "x.json")
    >>> check_document([[[[]]]], "x.json")
    >>> deep: list = []
    >>> for _ in range(MAX_NESTING + 1):
    ...     deep = [deep]
    >>> check_document(deep, "x.json")
    Traceback (most recent call last):
    ...
    zopa.errors.ScenarioError: x.json: nested deeper than 64 levels of lists and mappings
    """
    limit = current_limits()
    count = 0
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        count += 1
        if isinstance(value, Mapping):
            children = [*value.keys(), *value.values()]
        elif isinstance(value, list | tuple):
            children = list(value)
        else:
            continue
        if children and depth >= MAX_NESTING:
            raise ScenarioError(f"nested deeper than {MAX_NESTING} levels of lists and mappings",
                                file=file)
        if count + len(children) > limit.max_document_nodes:
            limit.check("max_document_nodes", count + len(children),
                        what="values in the document (or more)", file=file)
        stack.extend((child, depth + 1) for child in children)
