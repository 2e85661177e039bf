"""Model options from text (``key=value``), typed by the model's dataclass fields."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Sequence
from typing import Any, Literal, get_args, get_origin

from zopa.errors import ModelError

__all__ = ["parse_options"]


def _convert(model: str, key: str, text: str, annotation: Any) -> Any:
    if get_origin(annotation) is Literal:
        allowed = [str(a) for a in get_args(annotation)]
        if text not in allowed:
            raise ModelError(f"{model}: option {key} expects one of {allowed}, got {text!r}")
        return text
    for kind in (bool, int, float):
        if annotation is kind:
            try:
                if kind is bool:
                    if text.lower() not in ("true", "false", "yes", "no", "1", "0"):
                        raise ValueError(text)
                    return text.lower() in ("true", "yes", "1")
                return kind(text)
            except ValueError:
                raise ModelError(f"{model}: option {key} expects a {kind.__name__}, "
                                 f"got {text!r}") from None
    return text


def parse_options(model_class: type, pairs: Sequence[str]) -> dict[str, Any]:
    """Turn ``["max_rounds=20", ...]`` into keyword options for ``model_class``.

    Raises
    ------
    ModelError
        For a malformed pair, an unknown option or a value of the wrong type.
    """
    name = getattr(model_class, "name", model_class.__name__)
    hints = typing.get_type_hints(model_class)
    fields = {f.name for f in dataclasses.fields(model_class)} if dataclasses.is_dataclass(
        model_class) else set()
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise ModelError(f"{name}: expected an option as key=value, got {pair!r}")
        if key not in fields:
            raise ModelError(f"{name}: unknown option {key!r}; options are {sorted(fields)}")
        options[key] = _convert(name, key, text.strip(), hints[key])
    return options
