"""Mercato: football rumour intelligence.

Data flows one way: ingest -> extract -> store -> assess -> serve.
Each stage is a subpackage of the same name.
"""

__version__ = "0.1.0"
