"""A local stand-in for the files bucket's notification to the upload checker.

In AWS, S3 invokes ``CheckUploadFunction`` asynchronously for every object created under
``uploads/incoming/`` (template.yaml: FilesBucket's NotificationConfiguration). moto's
server does not run Lambda functions for S3 events, but it does deliver S3 event
notifications to SQS queues, for every way an object is created, a browser's presigned
POST included. So the local stack:

1. creates a queue and sets the bucket's notification to it, with the template's own
   events and key filter (``notification_of_template``);
2. polls the queue (``S3EventPoller``) and invokes the checker's handler in this process
   with each message's body, which is the event S3 sends (``{"Records": [...]}``, with
   ``eventName``, ``eventTime``, ``s3.bucket``, ``s3.object.key`` URL-encoded, ``size``);
3. like Lambda's asynchronous invocation (``MaximumRetryAttempts: 2``), an invocation
   that raises is tried again, up to 3 times in all, then the event goes to
   ``dead_letters`` (the local on-failure destination) and is logged.

S3's ``s3:TestEvent`` message (sent when the notification is set) is dropped, as Lambda
never receives it. Tests call ``poll_once()``/``drain()``; the stack runs the same loop
in a background thread until ``stop()``.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

from infra.template import load_template
from tools.local.events import REGION, lambda_context
from tools.local.streams import Handler, function_handler, import_handler

log = logging.getLogger(__name__)

CHECKER_FUNCTION = "CheckUploadFunction"
FILES_BUCKET_RESOURCE = "FilesBucket"
EVENTS_QUEUE = "pendopo-local-upload-events"


def notification_of_template(function: str = CHECKER_FUNCTION) -> list[dict[str, Any]]:
    """The files bucket's notifications to ``function`` in template.yaml: each one's
    events and key filter (as ``put_bucket_notification_configuration`` takes them)."""
    bucket = load_template()["Resources"][FILES_BUCKET_RESOURCE]["Properties"]
    configs = bucket.get("NotificationConfiguration", {}).get("LambdaConfigurations", [])
    found = []
    for config in configs:
        target = config["Function"].get("Fn::GetAtt")  # "Name.Arn" or ["Name", "Arn"]
        if target not in (f"{function}.Arn", [function, "Arn"]):
            continue
        # CloudFormation's S3Key.Rules is the API's Key.FilterRules.
        rules = config.get("Filter", {}).get("S3Key", {}).get("Rules", [])
        found.append({"Events": [config["Event"]], "Filter": {"Key": {"FilterRules": rules}}})
    if not found:
        raise RuntimeError(f"template.yaml: FilesBucket notifies no {function}")
    return found


def route_bucket_events_to_queue(s3: Any, sqs: Any, bucket: str, queue: str = EVENTS_QUEUE) -> str:
    """Create ``queue`` and notify it of the bucket's events the template sends to the
    checker (same events, same key filter); returns the queue's URL."""
    url: str = sqs.create_queue(QueueName=queue)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    s3.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={
            "QueueConfigurations": [
                {"QueueArn": arn, **notification} for notification in notification_of_template()
            ]
        },
    )
    return url


class S3EventPoller:
    """Delivers the bucket's S3 events (from the queue) to the checker's handler."""

    def __init__(
        self,
        *,
        sqs_client: Any,
        queue_url: str,
        handler: Handler | str | None = None,
        function_name: str = CHECKER_FUNCTION,
        max_attempts: int = 3,
        interval_s: float = 0.2,
        timeout_s: int = 60,
        region: str = REGION,
    ) -> None:
        self._sqs = sqs_client
        self._queue_url = queue_url
        self._handler_ref: Handler | str = handler or function_handler(function_name)
        self._function_name = function_name
        self._max_attempts = max_attempts
        self._interval_s = interval_s
        self._timeout_s = timeout_s
        self._region = region
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.dead_letters: list[dict[str, Any]] = []
        self.invocations = 0

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="pendopo-uploads", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def poll_once(self) -> int:
        """Receive what the queue holds and deliver each event; returns the messages read
        (an ``s3:TestEvent`` too, which is dropped)."""
        with self._lock:
            messages = self._sqs.receive_message(
                QueueUrl=self._queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
            ).get("Messages", [])
            for message in messages:
                event = json.loads(message["Body"])
                if "Records" in event:  # not s3:TestEvent
                    self._deliver(event)
                self._sqs.delete_message(
                    QueueUrl=self._queue_url, ReceiptHandle=message["ReceiptHandle"]
                )
            return len(messages)

    def drain(self, max_rounds: int = 100) -> int:
        """Poll until the queue is empty (every event sent so far delivered)."""
        total = 0
        for _ in range(max_rounds):
            read = self.poll_once()
            if read == 0:
                return total
            total += read
        raise RuntimeError(f"the upload events did not drain in {max_rounds} rounds")

    def _run(self) -> None:
        while not self._stop.wait(self._interval_s):
            try:
                self.poll_once()
            except Exception:
                log.exception("upload events: reading the queue failed")

    def _handler(self) -> Handler:
        if isinstance(self._handler_ref, str):
            self._handler_ref = import_handler(self._handler_ref)
        return self._handler_ref

    def _deliver(self, event: dict[str, Any]) -> None:
        for attempt in range(1, self._max_attempts + 1):
            self.invocations += 1
            try:
                self._handler()(event, lambda_context(self._function_name, self._timeout_s))
                return
            except Exception:
                log.exception(
                    "upload events: %s raised (attempt %d of %d)",
                    self._function_name,
                    attempt,
                    self._max_attempts,
                )
        self.dead_letters.append(event)
        keys = [r.get("s3", {}).get("object", {}).get("key") for r in event.get("Records", [])]
        log.warning("upload events: sent to the local DLQ after retries: %s", keys)
