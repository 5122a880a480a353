"""The upload checker: the files bucket's object-created events under ``uploads/incoming/``.

S3 invokes the function asynchronously with ``{"Records": [...]}`` (one record per new
object in practice). Each record's key (URL-encoded in the event) goes to
``UploadCheckService.check``, which gives the upload its one verdict (clean or refused)
and deletes the file as sent; the inspection itself is ``inspection.inspect_file``
(Pillow, pypdf: this function's own packages).

An error is raised on: Lambda retries the invocation (twice, template.yaml) and then
sends it to the on-failure destination (the uploads' dead-letter queue), and the
Errors alarm tells ops. Retrying is safe: the verdict is conditional on ``checking`` and
the clean object is written only if new. Logs carry upload ids, verdicts and sizes,
never file names or contents.
"""

from __future__ import annotations

import pendopo.runtime.coldstart  # first: the init runs without GC passes (see there)

# isort: split
from datetime import datetime
from functools import partial
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from functions.check_upload.inspection import inspect_file
from pendopo.runtime.bootstrap import connect, upload_check_service
from pendopo.runtime.observability import logger, metrics
from pendopo.runtime.settings import get_settings
from pendopo.services.upload_check import CheckOutcome


class _S3Object(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    key: str
    size: int | None = None
    version_id: str | None = Field(default=None, alias="versionId")


class _S3Bucket(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str


class _S3Entity(BaseModel):
    model_config = ConfigDict(extra="ignore")

    bucket: _S3Bucket
    object: _S3Object


class S3Record(BaseModel):
    """One record of an S3 event notification (the fields the checker reads)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    event_name: str = Field(alias="eventName")
    event_time: datetime | None = Field(default=None, alias="eventTime")
    s3: _S3Entity

    @property
    def key(self) -> str:
        # S3 URL-encodes the key in the event (a space is "+").
        return unquote_plus(self.s3.object.key)


class S3Event(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    records: list[S3Record] = Field(default_factory=list, alias="Records")


# The function's service, with its own inspection (Pillow and pypdf are in the
# function's package, not the layer); tests pass their own clients and clock.
build_service = partial(upload_check_service, inspect=inspect_file)

settings = get_settings()
connect(settings)
service = build_service(settings)


@metrics.log_metrics
@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    parsed = S3Event.model_validate(event)
    outcomes: dict[str, int] = {}
    for record in parsed.records:
        if record.s3.bucket.name != service.files.bucket:
            logger.warning("upload check: another bucket's event, skipped")
            continue
        if not record.event_name.startswith("ObjectCreated:"):
            continue
        result = service.check(record.key, record.s3.object.version_id, record.event_time)
        outcomes[result.outcome.value] = outcomes.get(result.outcome.value, 0) + 1
    for outcome in (CheckOutcome.CLEAN, CheckOutcome.REFUSED):
        metrics.add_metric(
            name=f"Upload{outcome.value.capitalize()}",
            unit=MetricUnit.Count,
            value=outcomes.get(outcome.value, 0),
        )
    return {"records": len(parsed.records), **outcomes}


pendopo.runtime.coldstart.end_init()  # the last statement of the init
