"""Each of the seven functions serves one representative event from its built artifact.

Only what ``make build-host`` put in ``.aws-sam/host`` (the same Makefiles and
requirements as ``sam build``) is on the interpreter's path, so a file the build left
out (an email template, taxonomy.json, a dependency) fails here, as it would on Lambda.
The events follow one complaint: submitted (intake), its stream record (notify),
verified (route), in the daily deadline check (sla_check), in last month's recap
(monthly_recap); and an officer logs in (auth). A photo with GPS is checked
(check_upload: Pillow and pypdf from the function's own wheels).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.support.artifacts import (
    FILES_BUCKET,
    OFFICER_EMAIL,
    OFFICER_PASSWORD,
    REGION,
    Artifacts,
)
from tools.build.runtime import lambda_functions
from tools.local.sample import SAMPLE_COMPLAINT

VERIFIER_CLAIMS = {
    "sub": "sub-verifikator",
    "username": "verifikator.biro-pem@pendopo.example",
    "cognito:groups": "[verifikator BIRO_PEM]",
    "token_use": "access",
    "client_id": "artifact-client",
    "exp": "4102444800",
}


def test_the_template_has_the_seven_functions() -> None:
    assert sorted(lambda_functions()) == [
        "AggregateFunction",
        "AuthFunction",
        "CheckUploadFunction",
        "IntakeFunction",
        "MonthlyRecapFunction",
        "NotifyFunction",
        "RouteFunction",
        "SlaCheckFunction",
    ]


@pytest.fixture(scope="module")
def submitted(artifacts: Artifacts, http_event: Any) -> dict[str, Any]:
    """A kiosk submission served by the intake artifact; its answer and its table items.

    SLA_DAYS=1: the complaint is due within the day, so the deadline check finds it.
    """
    served = artifacts.serve(
        "IntakeFunction",
        http_event(
            "POST",
            "/v1/complaints",
            headers={"content-type": "application/json", "idempotency-key": "artifact-0001"},
            body=json.dumps(SAMPLE_COMPLAINT),
        ),
        SLA_DAYS="1",
    )
    assert served.status == 201, served.output
    ticket = served.body()["ticket"]
    items = artifacts.aws.client("dynamodb").query(
        TableName=artifacts.aws.table,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"C#{ticket}"}},
    )["Items"]
    return {"ticket": ticket, "items": items, "served": served}


def test_intake_takes_a_kiosk_complaint(submitted: dict[str, Any]) -> None:
    assert submitted["ticket"]
    kinds = sorted(item["sk"]["S"][:2] for item in submitted["items"])
    assert kinds == ["C", "E#"]


def test_intake_tells_the_kiosk_its_sessions(artifacts: Artifacts, http_event: Any) -> None:
    """The desks' calendar: Indonesia's holidays (the layer keeps only its module)."""
    served = artifacts.serve("IntakeFunction", http_event("GET", "/v1/kiosk/info"))
    assert served.status == 200, served.output
    assert "holidays.countries.indonesia" in served.modules


def test_notify_emails_the_unit_about_the_new_complaint(
    artifacts: Artifacts, submitted: dict[str, Any]
) -> None:
    event_item = next(i for i in submitted["items"] if i["sk"]["S"].startswith("E#"))
    batch = {
        "Records": [
            {
                "eventID": "artifact-1",
                "eventName": "INSERT",
                "eventVersion": "1.1",
                "eventSource": "aws:dynamodb",
                "awsRegion": REGION,
                "dynamodb": {
                    "Keys": {"pk": event_item["pk"], "sk": event_item["sk"]},
                    "NewImage": event_item,
                    "SequenceNumber": "100000000000000000001",
                    "SizeBytes": 512,
                    "StreamViewType": "NEW_AND_OLD_IMAGES",
                },
                "eventSourceARN": f"arn:aws:dynamodb:{REGION}:123456789012:table/"
                f"{artifacts.aws.table}/stream/2025-01-01T00:00:00.000",
            }
        ]
    }
    before = artifacts.aws.emails_sent()
    served = artifacts.serve("NotifyFunction", batch)
    assert served.result == {"batchItemFailures": []}, served.output
    assert artifacts.aws.emails_sent() > before, served.output


@pytest.fixture(scope="module")
def verified(artifacts: Artifacts, submitted: dict[str, Any], http_event: Any) -> Any:
    """The complaint verified by the route artifact: now at the unit, its clock running."""
    complaint = next(i for i in submitted["items"] if i["sk"]["S"] == "C")
    served = artifacts.serve(
        "RouteFunction",
        http_event(
            "POST",
            f"/v1/officer/complaints/{submitted['ticket']}/verify",
            headers={
                "content-type": "application/json",
                "if-match": f'"{complaint["version"]["N"]}"',
            },
            body=json.dumps({"note": "Lokasi dan foto sesuai."}),
            authorizer_claims=VERIFIER_CLAIMS,
        ),
    )
    assert served.status == 200, served.output
    return served


def test_route_verifies_the_complaint(verified: Any) -> None:
    assert verified.body()["status"]


def test_sla_check_sends_the_daily_digest(artifacts: Artifacts, verified: Any) -> None:
    before = artifacts.aws.emails_sent()
    served = artifacts.serve(
        "SlaCheckFunction",
        # A few minutes ahead (the handler takes up to 10): the complaint, due in exactly
        # a day, is then surely inside the check's 24-hour window.
        {"scheduled_time": f"{datetime.now(UTC) + timedelta(minutes=5):%Y-%m-%dT%H:%M:%SZ}"},
        SLA_DAYS="1",
    )
    assert served.result["overdue"] + served.result["reminders"] >= 1, served.output
    assert artifacts.aws.emails_sent() > before, served.output


def test_monthly_recap_sends_last_months_recap(artifacts: Artifacts) -> None:
    first_of_this_month = datetime.now(UTC).replace(day=1)
    before = artifacts.aws.emails_sent()
    served = artifacts.serve(
        "MonthlyRecapFunction", {"scheduled_time": f"{first_of_this_month:%Y-%m-%d}T00:00:00Z"}
    )
    assert served.result["sent"] > 0, served.output
    assert artifacts.aws.emails_sent() > before
    listed = artifacts.aws.client("s3").list_objects_v2(Bucket=FILES_BUCKET, Prefix="recaps/")
    assert any(o["Key"].endswith(".xlsx") for o in listed.get("Contents", [])), listed


def test_auth_logs_an_officer_in(artifacts: Artifacts, http_event: Any) -> None:
    served = artifacts.serve(
        "AuthFunction",
        http_event(
            "POST",
            "/v1/auth/login",
            headers={"content-type": "application/json"},
            body=json.dumps({"email": OFFICER_EMAIL, "password": OFFICER_PASSWORD}),
        ),
    )
    assert served.status == 200, served.output
    assert served.body()["access_token"], served.output


def test_check_upload_re_encodes_a_photo_without_its_gps(artifacts: Artifacts) -> None:
    import io

    from PIL import Image

    from pendopo.domain.uploads import UploadOwner, UploadRequest, new_upload
    from pendopo.storage.uploads import _item
    from tests.support import upload_files

    request = UploadRequest(filename="jalan.jpg", content_type="image/jpeg", size=1000)
    upload = new_upload(request, UploadOwner.PUBLIC, datetime.now(UTC))
    item = {name: value for name, value in _item(upload).serialize().items()}
    artifacts.aws.client("dynamodb").put_item(TableName=artifacts.aws.table, Item=item)
    key = f"uploads/incoming/{upload.upload_id}"
    s3 = artifacts.aws.client("s3")
    s3.put_object(Bucket=FILES_BUCKET, Key=key, Body=upload_files.jpeg_with_gps(320, 240))
    event = {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": REGION,
                "eventTime": f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%S.000Z}",
                "eventName": "ObjectCreated:Post",
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "bucket": {"name": FILES_BUCKET, "arn": f"arn:aws:s3:::{FILES_BUCKET}"},
                    "object": {"key": key, "size": 1000},
                },
            }
        ]
    }
    served = artifacts.serve("CheckUploadFunction", event)
    assert served.result == {"records": 1, "clean": 1}, served.output
    assert "PIL.Image" in served.modules and "pypdf" in served.modules
    stored = s3.get_object(Bucket=FILES_BUCKET, Key=f"uploads/clean/{upload.upload_id}")
    image = Image.open(io.BytesIO(stored["Body"].read()))
    assert image.size == (320, 240) and not image.getexif()
