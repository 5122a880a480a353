"""One place for Logger and Metrics, shared by every function.

Log lines carry identifiers (ticket, unit, status), never personal data:
no names, NIK, phone numbers, emails or tracking codes.

Tracing: the functions run with Lambda active tracing (``Tracing: Active`` in
template.yaml), which records every invocation in X-Ray without an SDK. We do
not load the X-Ray SDK (Powertools Tracer): importing it costs about 100 ms of
every cold start, more than a third of what boto3 itself costs.
"""

from __future__ import annotations

import warnings

from aws_lambda_powertools import Logger, Metrics

from pendopo.runtime.settings import ObservabilitySettings

# Routes that record no business metric (reads) are normal here; Powertools
# would warn about each of them in every invocation's log.
warnings.filterwarnings("ignore", message="No application metrics to publish")

# The stage's own name (template.yaml: pendopo-<stage>), so the metrics, and the
# alarms on them, of dev, training and prod never mix in one account.
SERVICE = ObservabilitySettings.from_env().service_name

logger = Logger(service=SERVICE)
metrics = Metrics(namespace="Pendopo", service=SERVICE)
