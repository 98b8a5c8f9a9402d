"""Jobs the worker tests hand to a real `tracelot worker` (importable from the repository)."""

import os
import time
from pathlib import Path


def probe(path: str, number: int, seconds: float) -> int:
    """Note the start, take `seconds`, note the end: a killed run leaves a start alone."""
    log = Path(path)
    with log.open("a") as out:
        out.write(f"start {number}\n")
    time.sleep(seconds)
    with log.open("a") as out:
        out.write(f"done {number}\n")
    return number


def fail(reason: str) -> None:
    raise RuntimeError(reason)


def who(path: str, number: int) -> None:
    """Note which worker process ran job `number`."""
    time.sleep(0.02)
    with Path(path).open("a") as out:
        out.write(f"{number} {os.getpid()}\n")
