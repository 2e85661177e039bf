"""The domain model: frozen, validated descriptions of a negotiation. No IO, no algorithms."""

from zopa.scenario.issue import Issue, Option
from zopa.scenario.party import Party
from zopa.scenario.preferences import Stance, default_value
from zopa.scenario.proposal import Proposal
from zopa.scenario.scenario import Scenario
from zopa.scenario.schema import (
    SCHEMA_VERSION,
    content_hash,
    json_schema,
    scenario_from_data,
    scenario_to_data,
)
from zopa.scenario.source import Source
from zopa.scenario.uncertain import Uncertain

__all__ = [
    "SCHEMA_VERSION",
    "Issue",
    "Option",
    "Party",
    "Proposal",
    "Scenario",
    "Source",
    "Stance",
    "Uncertain",
    "content_hash",
    "default_value",
    "json_schema",
    "scenario_from_data",
    "scenario_to_data",
]
