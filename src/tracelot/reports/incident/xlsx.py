"""The incident report as an XLSX workbook in the reader's language: a sheet per section,
every lot of the scope and every link of its genealogy, numbers as numbers."""

from django.utils.translation import gettext

from tracelot.accounts.models import Signature
from tracelot.core.exports import Sheet, workbook_bytes
from tracelot.incidents.models import Incident, Recall
from tracelot.quality.models import Decision
from tracelot.reports.incident import tables
from tracelot.reports.incident.data import incident_report
from tracelot.reports.incident.tables import model_title


def incident_report_xlsx(*, incident: Incident) -> bytes:
    """The incident report's sections as sheets; the recall's only when there is one."""
    report = incident_report(incident=incident)
    sections = [
        (model_title(Incident, plural=False), tables.summary_table(report)),
        (gettext("Lots by status"), tables.status_table(report)),
        (gettext("Lots"), tables.scope_table(report)),
        (gettext("Links"), tables.edges_table(report)),
        (gettext("Likely causes"), tables.causes_table(report)),
        (gettext("Timeline"), tables.timeline_table(report)),
        (model_title(Decision), tables.decisions_table(report)),
        (model_title(Signature), tables.signatures_table(report)),
        (gettext("Mass balance"), tables.balance_table(report)),
    ]
    if report.recall is not None:
        sections.append((model_title(Recall, plural=False), tables.progress_table(report)))
    sections.append((gettext("CAPA actions"), tables.actions_table(report)))
    sheets: list[Sheet] = [(title, headers, rows) for title, (headers, rows) in sections]
    return workbook_bytes(sheets)
