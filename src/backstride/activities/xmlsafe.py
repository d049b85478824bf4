"""Parsing GPX and TCX XML safely, with a narrow, reported repair for real-world exports.

Safe: no network, no entity expansion (billion-laughs), no DTD loading. Repair: some apps
(Strava's older GPX export among them) use a namespace prefix such as ``gpxdata:`` without
declaring it. The data is intact, so we declare the prefix and say so. Anything else that
is not well-formed XML (a truncated download) is rejected unless the caller asked to salvage,
in which case lxml's recovering parser keeps what it can.
"""

from __future__ import annotations

import re

from lxml import etree

from backstride.errors import ActivityFileError

_UNDECLARED = re.compile(r"Namespace prefix (\w[\w.-]*) (?:on|for) [\w.:-]+ is not defined")
_ROOT_TAG = re.compile(rb"<(gpx|TrainingCenterDatabase)\b", re.IGNORECASE)


def _parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True,
                           recover=recover, remove_comments=True)


def strip_bom(data: bytes) -> bytes:
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def parse_xml(data: bytes, source: str, kind: str, *, salvage: bool, warnings: list[str]) -> etree._Element:
    """Parse ``data`` as XML or raise :class:`ActivityFileError` saying what is wrong."""
    data = strip_bom(data).lstrip()
    if not data:
        raise ActivityFileError(source, f"the file is empty; a {kind} file is XML text",
                                hint="export the activity again")
    if not data.startswith(b"<"):
        raise ActivityFileError(source, f"this is not a {kind} file: it does not start with XML",
                                hint="check the file type; FIT files need the .fit extension")
    # lxml attaches the thread's whole error log to a syntax error; clear it so that errors
    # of an earlier file (a worker reads many) do not decide whether this one can be repaired.
    etree.clear_error_log()
    try:
        return _without_entities(etree.fromstring(data, _parser(False)), source, kind)
    except etree.XMLSyntaxError as exc:
        first_error = str(exc)
        prefixes = repairable_prefixes(exc)
        if prefixes:
            repaired = declare_prefixes(data, prefixes)
            try:
                root = etree.fromstring(repaired, _parser(False))
            except etree.XMLSyntaxError:
                pass
            else:
                warnings.append(repair_warning(prefixes))
                return _without_entities(root, source, kind)
        if salvage:
            try:
                root = etree.fromstring(data, _parser(True))
            except etree.XMLSyntaxError:
                root = None
            if root is not None:
                warnings.append(f"recovered from XML that is not well-formed ({first_error}); "
                                "the end of the activity may be missing")
                return _without_entities(root, source, kind)
        raise ActivityFileError(
            source, f"the {kind} file is not well-formed XML ({first_error}); it may be truncated or damaged; "
            "nothing was stored",
            hint="export it again, or run the import with --salvage to keep the readable part") from None


def _without_entities(root: etree._Element, source: str, kind: str) -> etree._Element:
    """``root``, unless its text uses DTD entities (``&name;``), which are never expanded here.

    Expanding them is how XML bombs and file-reading attacks work, and no watch or app writes
    them, so such a file is refused with a message that says so (instead of failing later on
    text where a number belongs).
    """
    names = sorted({str(node.text or "").strip("&;") for node in root.iter(etree.Entity)})
    if names:
        shown = ", ".join(f"&{n};" for n in names[:3])
        raise ActivityFileError(
            source, f"the {kind} file uses XML entities ({shown}) declared in its DOCTYPE; backstride does not "
            "expand entities, for safety, so it cannot read this file; nothing was stored",
            hint="export the activity again from the watch or app; their exports never use entities")
    return root


def repairable_prefixes(exc: etree.XMLSyntaxError) -> list[str]:
    """The undeclared namespace prefixes ``exc`` is about, if undeclared prefixes are all that is wrong."""
    prefixes = sorted(set(_UNDECLARED.findall(str(exc))) | {
        m for e in exc.error_log for m in _UNDECLARED.findall(e.message or "")})
    return prefixes if prefixes and _only_namespace_errors(exc) else []


def repair_warning(prefixes: list[str]) -> str:
    return (f"the file uses the namespace prefix(es) {', '.join(prefixes)} without "
            "declaring them (a known export bug); they were declared and the data read as is")


def _only_namespace_errors(exc: etree.XMLSyntaxError) -> bool:
    messages = [e.message or "" for e in exc.error_log] or [str(exc)]
    return all("Namespace prefix" in m or "not defined" in m for m in messages)


def declare_prefixes(data: bytes, prefixes: list[str]) -> bytes:
    match = _ROOT_TAG.search(data)
    if match is None:
        return data
    decl = b"".join(f' xmlns:{p}="urn:backstride:undeclared:{p}"'.encode() for p in prefixes)
    return data[: match.end()] + decl + data[match.end():]


def local(tag: object) -> str:
    """Tag name without its namespace, lower-cased (exports disagree on namespaces)."""
    text = tag if isinstance(tag, str) else ""
    return text.rsplit("}", 1)[-1].lower()
