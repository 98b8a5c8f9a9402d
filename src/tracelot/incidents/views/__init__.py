"""Incident pages: thin views over the incident services, one module per part of the work."""
