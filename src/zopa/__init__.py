"""zopa: model, analyse, forecast and stress-test multi-party negotiations."""

from zopa.__about__ import __version__

__all__ = ["__version__"]
