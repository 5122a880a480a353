"""One place for Logger, Metrics and Tracer, shared by every function.

Log lines carry identifiers (ticket, unit, status), never personal data:
no names, NIK, phone numbers, emails or tracking codes.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics, Tracer

SERVICE = "pendopo"

logger = Logger(service=SERVICE)
metrics = Metrics(namespace="Pendopo", service=SERVICE)
tracer = Tracer(service=SERVICE)
