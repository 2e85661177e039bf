"""Hostile XML and YAML: refused with a located ScenarioError, without expansion or network.

Every XML reader (KTAB scenarios and their parameters, GENIUS domains and profiles,
XLSX workbooks) gets billion-laughs, quadratic-blowup, external-entity (file and
http), parameter-entity and external-DTD documents, also encoded as UTF-16 so that
only the parser's own handlers can catch them. The YAML loader gets Python tags and
alias bombs. "Without expansion" is checked by the memory the call allocates (a few
MB at most, where an expansion would need gigabytes); "without network" by a local
server that must see no connection.
"""

from __future__ import annotations

import io
import socket
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from zopa.errors import LimitError, ScenarioError
from zopa.formats import loads_scenario
from zopa.formats.genius import import_genius
from zopa.formats.ktab import (
    import_ktab_xml,
    read_ktab_xml_ideal_adjustment,
    read_ktab_xml_parameters,
)
from zopa.formats.table import export_table, import_table
from zopa.scenario.synthetic import random_scenario

DATA = Path(__file__).resolve().parents[1] / "data"
MAX_ALLOCATED = 20_000_000  # bytes a refused document may cost; an expansion costs gigabytes
MARKER = Path("/tmp/zopa-xml-safety-pwned")


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A local TCP server that hostile documents point at; it must never be contacted."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.setblocking(False)
    yield server
    server.close()


def _contacted(server: socket.socket) -> bool:
    try:
        connection, _ = server.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


def _refused(call: Callable[[], object], file: Path) -> ScenarioError:
    """Run ``call``; it must raise a one-line ScenarioError naming ``file``, allocating little."""
    tracemalloc.start()
    try:
        with pytest.raises(ScenarioError) as caught:
            call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    error = caught.value
    assert error.file is not None and error.file.startswith(str(file)), str(error)
    assert "\n" not in str(error) and "root:" not in str(error)
    assert peak < MAX_ALLOCATED, f"{peak:,} bytes allocated: was something expanded?"
    return error


# -- hostile documents ----------------------------------------------------------------------------
def _laughs(root: str) -> str:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{k} "{("&lol" + (str(k - 1) if k > 1 else "") + ";") * 10}">'
        for k in range(1, 10)]
    return (f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n  ' + "\n  ".join(entities) +
            f"\n]>\n<{root}><name>&lol9;</name></{root}>\n")


def _quadratic(root: str) -> str:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE {root} [<!ENTITY a "{"x" * 50_000}">]>\n'
            f"<{root}><name>{'&a;' * 10_000}</name></{root}>\n")


def _hostile(root: str, port: int) -> dict[str, str]:
    url = f"http://127.0.0.1:{port}/evil"
    return {
        "billion-laughs": _laughs(root),
        "quadratic-blowup": _quadratic(root),
        "external-file": (f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n'
                          f'  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
                          f"<{root}><name>&xxe;</name></{root}>\n"),
        "external-http": (f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n'
                          f'  <!ENTITY xxe SYSTEM "{url}">\n]>\n'
                          f"<{root}><name>&xxe;</name></{root}>\n"),
        "parameter-entity": (f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n'
                             f'  <!ENTITY % remote SYSTEM "{url}.dtd">\n  %remote;\n]>\n'
                             f"<{root}/>\n"),
        "external-dtd": f'<?xml version="1.0"?>\n<!DOCTYPE {root} SYSTEM "{url}.dtd">\n<{root}/>\n',
        "doctype-lower-case-spaced": (f'<?xml version="1.0"?>\n<!doctype   {root}\n'
                                      f'[<!ENTITY a "b">]>\n<{root}/>\n'),
    }


KINDS = ["billion-laughs", "quadratic-blowup", "external-file", "external-http",
         "parameter-entity", "external-dtd", "doctype-lower-case-spaced"]
ENCODINGS = ["utf-8", "utf-16"]


def _encoded(text: str, encoding: str) -> bytes:
    if encoding == "utf-8":
        return text.encode("utf-8")
    return text.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>') \
        .encode("utf-16")


KTAB_READERS = {"scenario": import_ktab_xml, "parameters": read_ktab_xml_parameters,
                "ideal-adjustment": read_ktab_xml_ideal_adjustment}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("reader", sorted(KTAB_READERS))
def test_ktab_xml_refuses_hostile_documents(tmp_path: Path, listener: socket.socket,
                                            reader: str, kind: str, encoding: str) -> None:
    path = tmp_path / "hostile.xml"
    path.write_bytes(_encoded(_hostile("Scenario", listener.getsockname()[1])[kind], encoding))
    error = _refused(lambda: KTAB_READERS[reader](path), path)
    if encoding == "utf-8":
        assert "declarations are not accepted" in error.message and error.line is not None
    else:  # KTAB files are UTF-8: refused before any parsing
        assert "not UTF-8" in error.message
    assert not _contacted(listener)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("target", ["domain", "profile"])
def test_genius_refuses_hostile_documents(tmp_path: Path, listener: socket.socket, target: str,
                                          kind: str, encoding: str) -> None:
    domain, profile = DATA / "genius" / "canal-domain.xml", DATA / "genius" / "city.xml"
    path = tmp_path / f"hostile-{target}.xml"
    path.write_bytes(_encoded(_hostile("utility_space", listener.getsockname()[1])[kind],
                              encoding))
    files = (path, [profile]) if target == "domain" else (domain, [path])
    error = _refused(lambda: import_genius(*files), path)
    assert error.line is not None
    expected = "syntax error" if kind.startswith("doctype-lower") and encoding != "utf-8" \
        else "declarations are not accepted"  # <!doctype is not XML; the prescan refuses it too
    assert expected in error.message
    assert not _contacted(listener)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    pytest.importorskip("openpyxl", reason="the tables extra (openpyxl) is not installed")
    path = tmp_path_factory.mktemp("xlsx") / "seed.xlsx"
    export_table(random_scenario(2, 2, 2, rng=1), path)
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist()}


@pytest.mark.parametrize("kind", KINDS)
def test_xlsx_refuses_hostile_sheets(tmp_path: Path, listener: socket.socket,
                                     workbook: dict[str, bytes], kind: str) -> None:
    sheet = next(name for name in sorted(workbook) if name.startswith("xl/worksheets/"))
    body = workbook[sheet].decode("utf-8")
    start = body.index("<worksheet")
    hostile = _hostile("worksheet", listener.getsockname()[1])[kind]
    doctype = hostile[hostile.index("<!"):hostile.rindex(">\n<") + 2]
    members = {**workbook, sheet: (body[:start] + doctype + body[start:]).replace(
        "<v>1</v>", "<v>&lol9;</v>" if "lol9" in hostile else "<v>1</v>").encode("utf-8")}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        for name, content in members.items():
            book.writestr(name, content)
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(buffer.getvalue())
    if kind == "external-dtd":  # defusedxml allows a DTD reference; expat never fetches it
        import_table(path)
    else:
        _refused(lambda: import_table(path), path)
    assert not _contacted(listener)


# -- YAML ---------------------------------------------------------------------------------------
HARBOUR = (DATA / "harbour.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("tag", [
    f"!!python/object/apply:os.system ['touch {MARKER}']",
    f"!!python/object/new:os.system ['touch {MARKER}']",
    f"!!python/object/apply:subprocess.check_call [['touch', '{MARKER}']]",
    "!!python/name:os.system", "!!python/module:os", "!!python/object:zopa.scenario.Scenario {}",
])
def test_yaml_python_tags_are_refused(tag: str) -> None:
    text = HARBOUR.replace('description: "Two towns', f'description: {tag}\nx: "Two towns')
    error = _refused(lambda: loads_scenario(text, name="tags.yaml"), Path("tags.yaml"))
    assert error.line == 5 and "constructor" in error.message
    assert not MARKER.exists()


def _bomb(levels: int, width: int = 10) -> str:
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    lines += [f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * width)}]" for k in range(1, levels)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("field", ["parties", "issues", "description", "stances"])
def test_yaml_alias_bombs_are_refused_while_composing(field: str) -> None:
    text = _bomb(9) + "\n".join(line for line in HARBOUR.splitlines()
                                if not line.startswith(f"{field}:")) + f"\n{field}: *a8\n"
    error = _refused(lambda: loads_scenario(text, name="bomb.yaml"), Path("bomb.yaml"))
    assert isinstance(error, LimitError) and error.variable == "ZOPA_MAX_DOCUMENT_NODES"
    assert error.line is not None and error.line <= 9  # stopped among the anchors


def test_yaml_alias_bomb_through_valid_fields_is_refused() -> None:
    """1.8 KB whose 4 million invalid leaves cost the unbounded loader over 6 GB."""
    w = 45
    source = "&s [" + ", ".join(["[1]"] * w) + "]"
    value = "&u {value: 0.5, source: " + source + "}"
    values = "&v {o0: " + value + "".join(f", o{k}: *u" for k in range(1, w)) + "}"
    stance = "&st {ideal: 1, salience: 1, values: " + values + "}"
    party = "&p {i0: " + stance + "".join(f", i{k}: *st" for k in range(1, w)) + "}"
    text = ("id: x\nname: x\nparties: [{id: a, name: a, capability: 1, reservation: 0}]\n"
            "issues: [{id: i, name: i, options: [{id: o0, label: o, position: 0}]}]\n"
            "stances: {p0: " + party + "".join(f", p{k}: *p" for k in range(1, w)) + "}\n")
    assert len(text) < 2_000
    error = _refused(lambda: loads_scenario(text, name="bomb.yaml"), Path("bomb.yaml"))
    assert isinstance(error, LimitError) and error.line == 5  # the stances line


def test_yaml_recursive_alias_and_deep_nesting_are_refused() -> None:
    recursive = _refused(lambda: loads_scenario("id: &r [*r]\n", name="r.yaml"), Path("r.yaml"))
    assert "recursive alias" in recursive.message and recursive.line == 1
    deep = "[" * 100_000 + "]" * 100_000
    nested = _refused(lambda: loads_scenario(deep, name="d.yaml"), Path("d.yaml"))
    assert "nested deeper than 64" in nested.message
    nested = _refused(lambda: loads_scenario(deep, name="d.json", format="json"), Path("d.json"))
    assert "nested too deeply" in nested.message
