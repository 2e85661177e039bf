"""Building blocks of the file format shared by the scenario and its context sections."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from zopa.errors import ScenarioError
from zopa.scenario.preferences import Stance
from zopa.scenario.uncertain import Uncertain

__all__ = [
    "Identifier",
    "SourceKeys",
    "SourceSpec",
    "Spec",
    "StanceSpec",
    "UncertainField",
    "UncertainSpec",
    "at_path",
    "drop_empty",
    "stance_data",
    "stance_to_domain",
    "uncertain_data",
]


# Text that must say something: a blank name or label names nothing, and the writer
# leaves empty strings out, so a blank one would not read back.
Text = Annotated[str, Field(min_length=1, pattern=r"\S")]


class Spec(BaseModel):
    """Base of every part of the file format: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", max_length=100)]


def _listify(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


SourceKeys = Annotated[list[Identifier], BeforeValidator(_listify)]


class SourceSpec(Spec):
    """A document numbers are cited from."""

    document: Text
    date: dt.date | None = None
    url: str | None = None
    note: str | None = None


class UncertainSpec(Spec):
    """A number: ``{value: x}`` or ``{low, mode, high}``, optionally sourced; or a bare number."""

    value: float | None = None
    low: float | None = None
    mode: float | None = None
    high: float | None = None
    source: SourceKeys = []
    note: str | None = None
    judgement: bool = False

    @model_validator(mode="after")
    def _one_form(self) -> UncertainSpec:
        ranged = (self.low, self.mode, self.high)
        if self.value is not None and any(v is not None for v in ranged):
            raise ValueError("give either 'value' or 'low'/'mode'/'high', not both")
        if self.value is None and (self.low is None or self.high is None):
            raise ValueError("expected 'value', or 'low' and 'high' (with an optional 'mode')")
        if self.value is None:
            low, high = self.low, self.high
            mode = self.mode if self.mode is not None else (low + high) / 2  # type: ignore[operator]
            if not low <= mode <= high:  # type: ignore[operator]
                raise ValueError(f"expected low <= mode <= high, got {low} / {mode} / {high}")
        return self

    def to_domain(self) -> Uncertain:
        sources = tuple(self.source)
        if self.value is not None:
            return Uncertain.point(self.value, sources=sources, note=self.note,
                                   judgement=self.judgement)
        assert self.low is not None and self.high is not None  # guaranteed by _one_form
        mode = self.mode if self.mode is not None else (self.low + self.high) / 2
        return Uncertain(self.low, mode, self.high, sources=sources, note=self.note,
                         judgement=self.judgement)


def _number_to_point(value: Any) -> Any:
    if isinstance(value, bool):
        return value  # rejected by the model: a yes/no is not a number
    if isinstance(value, int | float):
        return {"value": value}
    if isinstance(value, str):
        # YAML 1.1 reads exponents without a dot (1e-5) as text; accept them as numbers.
        try:
            return {"value": float(value)}
        except ValueError:
            return value
    return value


# In JSON Schema a bare number is allowed too, as the validator accepts it.
UncertainField = Annotated[UncertainSpec, BeforeValidator(
    _number_to_point, json_schema_input_type=float | UncertainSpec)]


class StanceSpec(Spec):
    ideal: UncertainField
    salience: UncertainField
    values: dict[Identifier, UncertainField] = {}
    red_lines: list[Identifier] = []
    note: str = ""


def uncertain_data(value: Uncertain) -> Any:
    data: dict[str, Any]
    if value.is_point:
        data = {"value": value.mode}
    else:
        data = {"low": value.low, "mode": value.mode, "high": value.high}
    if value.sources:
        data["source"] = list(value.sources)
    if value.note:
        data["note"] = value.note
    if value.judgement:
        data["judgement"] = True
    return data["value"] if list(data) == ["value"] else data


def drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def stance_data(stance: Stance) -> dict[str, Any]:
    """A stance in the file format."""
    return drop_empty({
        "ideal": uncertain_data(stance.ideal),
        "salience": uncertain_data(stance.salience),
        "values": {k: uncertain_data(v) for k, v in stance.values},
        "red_lines": sorted(stance.red_lines),
        "note": stance.note,
    })


def stance_to_domain(party_id: str, issue_id: str, s: StanceSpec) -> Stance:
    """A stance spec as a domain Stance."""
    return Stance(party_id, issue_id, s.ideal.to_domain(), s.salience.to_domain(),
                  tuple((k, v.to_domain()) for k, v in s.values.items()),
                  frozenset(s.red_lines), s.note)


@contextmanager
def at_path(*prefix: str | int) -> Iterator[None]:
    """Prefix the field path of a ScenarioError raised inside the block."""
    try:
        yield
    except ScenarioError as error:
        raise ScenarioError(error.message, path=(*prefix, *error.path)) from None
