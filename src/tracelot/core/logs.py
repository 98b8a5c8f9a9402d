"""What the server log keeps: a refused page is a line, not a traceback."""

import logging


class ForbiddenWithoutTraceback(logging.Filter):
    """A 403 is a user opening a page their role does not allow, not a fault: log the line
    (who asked for what) without the PermissionDenied traceback Django attaches."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
