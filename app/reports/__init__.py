"""Inspection and unit reports: an archivable (PDF/A-2b), accessible (PDF/UA-1) PDF.

`content` turns a stored explanation into what the report says (Norwegian text, no Flask, no
database); `render` turns that into PDF bytes with WeasyPrint; `services` gathers the data
through the other domains' services, and `routes` serves it.
"""
