"""Reading an input file, or standard input, within the size limit, with one-line errors.

Every reader goes through here, so that each one refuses the same things the same way:
a missing file, a directory, a file above ``max_file_bytes`` (checked before reading;
standard input is read at most one byte past the limit), text that is not UTF-8.
"""

from __future__ import annotations

import sys
from pathlib import Path

from zopa.errors import ScenarioError
from zopa.limits import check_file_size, current_limits

__all__ = ["STDIN", "read_file_bytes", "read_stdin", "read_text"]

STDIN = "<stdin>"


def read_stdin() -> str:
    """Standard input as text, refused once it passes ``max_file_bytes``."""
    text = sys.stdin.read(current_limits().max_file_bytes + 1)
    check_file_size(len(text.encode("utf-8", errors="surrogatepass")), STDIN)
    return text


def read_file_bytes(path: str | Path, expected: str) -> bytes:
    """The bytes of a file; ``expected`` says what it should be, for the directory error."""
    name = str(path)
    file = Path(path)
    try:
        check_file_size(file.stat().st_size, name)
        return file.read_bytes()
    except FileNotFoundError:
        raise ScenarioError("no such file", file=name) from None
    except IsADirectoryError:
        raise ScenarioError(f"is a directory; expected {expected}", file=name) from None
    except OSError as error:
        raise ScenarioError(f"cannot read: {error.strerror}", file=name) from None


def read_text(path: str | Path, expected: str) -> str:
    """A UTF-8 text file (byte-order mark dropped), or standard input for ``-``."""
    if str(path) == "-":
        return read_stdin()
    data = read_file_bytes(path, expected)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScenarioError(f"not UTF-8 text ({error.reason} at byte {error.start})",
                            file=str(path)) from None
