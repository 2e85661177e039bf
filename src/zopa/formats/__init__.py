"""Files at the edge: reading and writing scenarios."""

from zopa.formats.yaml_json import dump_scenario, dumps_scenario, load_scenario, loads_scenario

__all__ = ["dump_scenario", "dumps_scenario", "load_scenario", "loads_scenario"]
