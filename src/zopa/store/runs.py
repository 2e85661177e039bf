"""Recorded runs: what ran, on which scenario content, with which parameters, seed and zopa.

A run stores its input scenario by content hash (the snapshot is stored too, so
a run on a file that was never saved as a version can still be re-run), the
version of that content under the scenario's name when there is one, and its
result as canonical JSON. :meth:`RunRepository.rerun` executes the method again
from the stored scenario, parameters and seed and compares the results exactly
(the zopa version inside the result's provenance aside: it is reported apart).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Engine, Row, insert, select

from zopa.__about__ import __version__
from zopa.errors import StoreError
from zopa.scenario import Scenario, content_hash
from zopa.store.engine import read_transaction, write_transaction
from zopa.store.methods import KINDS, get_method, result_data
from zopa.store.queries import utc
from zopa.store.records import Rerun, RunRecord
from zopa.store.repository import (
    canonical_json,
    default_author,
    put_snapshot,
    scenario_from_payload,
    scenario_payload,
)
from zopa.store.tables import RunRow, SnapshotRow, VersionRow

__all__ = ["MAX_DIFFERENCES", "RunRepository", "compare_results"]

MAX_DIFFERENCES = 20
_runs = RunRow.__table__
_versions = VersionRow.__table__
_snapshots = SnapshotRow.__table__
_SUMMARY = (_runs.c.id, _runs.c.kind, _runs.c.method, _runs.c.scenario_hash,
            _runs.c.scenario_name, _versions.c.number, _runs.c.parameters, _runs.c.seed,
            _runs.c.zopa_version, _runs.c.author, _runs.c.created_at, _runs.c.result_hash)
_FROM = _runs.outerjoin(_versions, _runs.c.version_id == _versions.c.id)


def _without_version(data: Any, key: str = "") -> Any:
    """``data`` without the zopa version inside any provenance (compared apart)."""
    if isinstance(data, dict):
        return {k: _without_version(v, k) for k, v in data.items()
                if not (key == "provenance" and k == "version")}
    if isinstance(data, list):
        return [_without_version(v) for v in data]
    return data


def _differences(old: Any, new: Any, path: str, found: list[str]) -> None:
    if len(found) >= MAX_DIFFERENCES or old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            _differences(old.get(key), new.get(key), f"{path}.{key}" if path else key, found)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            _differences(a, b, f"{path}[{index}]", found)
    else:
        def short(value: Any) -> str:
            text = json.dumps(value, ensure_ascii=False)
            return text if len(text) <= 60 else text[:57] + "..."
        found.append(f"{path or 'result'}: {short(old)} -> {short(new)}")


def compare_results(stored: Any, new: Any) -> tuple[str, ...]:
    """Where two results differ (empty if equal), ignoring provenance versions."""
    old, now = _without_version(stored), _without_version(new)
    if canonical_json(old) == canonical_json(now):
        return ()
    found: list[str] = []
    _differences(old, now, "", found)
    return tuple(found) or ("result: differs",)


def _record(row: Row[Any], result: Any = None) -> RunRecord:
    return RunRecord(row.id, row.kind, row.method, row.scenario_hash, row.scenario_name,
                     row.number, json.loads(row.parameters), row.seed, row.zopa_version,
                     row.author, utc(row.created_at), result, row.result_hash)


class RunRepository:
    """Record, list, export and re-run runs."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def record(self, method: str, scenario: Scenario, *,
               parameters: Mapping[str, Any] | None = None, result: Any = None,
               seed: int | None = None, author: str | None = None) -> RunRecord:
        """Record a run; execute the method first when no ``result`` is given.

        Parameters
        ----------
        method
            A name in :data:`zopa.store.methods.METHODS` (e.g. ``"find_zopa"``).
        scenario
            The input scenario.
        parameters
            The method's keyword options (plain JSON data).
        result
            The result already computed by ``method`` with these inputs.
        seed
            The random seed, for stochastic methods.
        author
            Who ran it (default: :func:`zopa.store.repository.default_author`).

        Raises
        ------
        StoreError
            If the method is unknown, a parameter is not one it takes, the seed is
            not a non-negative 63-bit integer, or ``result`` was computed on
            another scenario.
        """
        chosen = get_method(method)
        options = dict(parameters or {})
        if seed is not None and not (isinstance(seed, int) and 0 <= seed < 2**63):
            raise StoreError(f"seed must be an integer from 0 to 2**63 - 1, got {seed!r}")
        digest = content_hash(scenario)
        if result is None:
            result = chosen.execute(scenario, options, seed)
        made = getattr(getattr(result, "provenance", None), "scenario_hash", "")
        if made and made != digest:
            raise StoreError(f"the result was computed on scenario {made[:12]}, not on "
                             f"{scenario.id!r} ({digest[:12]}); record it with its own scenario")
        text = canonical_json(result_data(result))
        run_id = uuid.uuid4().hex
        with write_transaction(self._engine) as connection:
            put_snapshot(connection, digest, scenario.id, scenario_payload(scenario),
                         dt.datetime.now(dt.UTC))
            version = connection.execute(
                select(_versions.c.id).where(_versions.c.name == scenario.id,
                                             _versions.c.snapshot_hash == digest)
                .order_by(_versions.c.number.desc()).limit(1)).scalar()
            connection.execute(insert(_runs).values(
                id=run_id, kind=chosen.kind, method=chosen.name, scenario_hash=digest,
                scenario_name=scenario.id, version_id=version,
                parameters=canonical_json(result_data(options)), seed=seed,
                zopa_version=__version__, author=author or default_author(),
                created_at=dt.datetime.now(dt.UTC), result=text,
                result_hash=hashlib.sha256(text.encode("utf-8")).hexdigest()))
        return self.get(run_id)

    def list(self, *, scenario: str | None = None, kind: str | None = None,
             method: str | None = None, limit: int | None = None) -> tuple[RunRecord, ...]:
        """Recorded runs, newest first, without their results."""
        if kind is not None and kind not in KINDS:
            raise StoreError(f"unknown kind {kind!r}; expected one of {list(KINDS)}")
        query = select(*_SUMMARY).select_from(_FROM).order_by(_runs.c.created_at.desc(),
                                                              _runs.c.id)
        for column, value in ((_runs.c.scenario_name, scenario), (_runs.c.kind, kind),
                              (_runs.c.method, method)):
            if value is not None:
                query = query.where(column == value)
        if limit is not None:
            query = query.limit(limit)
        with read_transaction(self._engine) as connection:
            return tuple(_record(row) for row in connection.execute(query))

    def get(self, reference: str) -> RunRecord:
        """The run whose id is, or starts with, ``reference`` (at least 6 hex digits)."""
        with read_transaction(self._engine) as connection:
            row = self._find(connection, reference)
            result = connection.execute(select(_runs.c.result).where(
                _runs.c.id == row.id)).scalar_one()
        return _record(row, json.loads(result))

    def export(self, references: Iterable[str] = (), *,
               with_scenario: bool = False) -> list[dict[str, Any]]:
        """Runs (all, oldest first, when no reference is given) as plain data with results."""
        wanted = list(references)
        if not wanted:
            with read_transaction(self._engine) as connection:
                wanted = list(connection.execute(select(_runs.c.id).order_by(
                    _runs.c.created_at, _runs.c.id)).scalars())
        exported = []
        for reference in wanted:
            run = self.get(reference)
            data = run.as_dict()
            if with_scenario:
                data["scenario"] = json.loads(self._payload(run.scenario_hash))
            exported.append(data)
        return exported

    def rerun(self, reference: str) -> Rerun:
        """Execute a stored run again and compare the new result with the stored one."""
        run = self.get(reference)
        scenario = scenario_from_payload(self._payload(run.scenario_hash), run.scenario_hash)
        new = result_data(get_method(run.method).execute(scenario, run.parameters, run.seed))
        new = json.loads(canonical_json(new))
        differences = compare_results(run.result, new)
        return Rerun(run, not differences, differences, new, __version__)

    def _payload(self, digest: str) -> str:
        with read_transaction(self._engine) as connection:
            return str(connection.execute(select(_snapshots.c.payload).where(
                _snapshots.c.hash == digest)).scalar_one())

    @staticmethod
    def _find(connection: Connection, reference: str) -> Row[Any]:
        text = reference.strip().lower()
        if len(text) < 6 or any(c not in "0123456789abcdef" for c in text):
            raise StoreError(f"not a run id: {reference!r}; expected at least 6 hex digits "
                             "(see `zopa runs list`)")
        rows = connection.execute(select(*_SUMMARY).select_from(_FROM).where(
            _runs.c.id.startswith(text)).limit(2)).all()
        if not rows:
            raise StoreError(f"no run with an id starting with {text!r}; see `zopa runs list`")
        if len(rows) > 1:
            raise StoreError(f"{text!r} is ambiguous among the runs; give more hex digits")
        return rows[0]
