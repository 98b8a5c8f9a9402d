"""The incident scenes of tests/incidents (a failed dough lot with a sibling, the incident
opened from its inspection, two people who can sign), for the incident report's tests."""

from tests.incidents.conftest import incident, quarantine, sibling, signers  # noqa: F401
