"""Idempotency keys, made one way for every caller.

A key names one request (a physical scan, a form sent once, an API call): sent again with
the same key, the request is recorded once (`ledger.recording.record`). Pages issue a fresh
key with each form; a service that records more than one event for one request derives the
others' keys from it, so a retry repeats every one of them. Keys come from the server
with each page or answer: the browser's crypto.randomUUID needs HTTPS, which a plant's
station PCs often do not have.
"""

import uuid


def key_new() -> str:
    """A fresh key for one request (a UUID: unguessable and unique without coordination)."""
    return str(uuid.uuid4())


def key_for(scope: str, request_key: str) -> str:
    """The key of the `scope` part of a request (a scan, an output, a hold after a failure)."""
    return f"{scope}:{request_key}"
