"""Any text a scanner or a person sends is read as a scan or plain text, never an exception."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracelot.gs1.scan import ScanKind, scan_parse, scan_parse_lenient

# Text that looks like what scanners send: AIM prefixes, digits, brackets, separators.
scanner_like = st.text(alphabet="]CdeQz0123456789()\x1d|~^#*-:/.?=&%ABcx ", max_size=60)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(scanner_like, st.text(max_size=80)), st.sampled_from([None, "|", "~", "^"]))
def test_any_text_is_read_as_a_scan(text, substitute):
    scan = scan_parse(text=text, gs_substitute=substitute)
    assert scan.kind in set(ScanKind)
    assert scan_parse_lenient(text=text).kind in set(ScanKind)


def test_a_lone_aim_bracket_is_plain_text():
    assert scan_parse(text="]").kind == ScanKind.TEXT
