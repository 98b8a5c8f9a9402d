"""The incident report (PDF and XLSX): scope, graph, likely causes, timeline, signed
decisions, mass balance, recall and CAPA of one incident."""

from tracelot.reports.incident.pdf import incident_report_pdf
from tracelot.reports.incident.xlsx import incident_report_xlsx

__all__ = ["incident_report_pdf", "incident_report_xlsx"]
