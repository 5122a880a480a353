"""tools.ops.publish_web on moto: content types, order, stale files, invalidation, outputs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tools.ops import publish_web
from tools.ops.publish_web import (
    PublishError,
    config_file,
    publish,
    stack_outputs,
    web_files,
)

REGION = "ap-southeast-3"
BUCKET = "pendopo-dev-web-123456789012"


@pytest.fixture
def aws() -> Iterator[dict[str, Any]]:
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        cloudfront = boto3.client("cloudfront", region_name="us-east-1")
        distribution = cloudfront.create_distribution(
            DistributionConfig={
                "CallerReference": "test",
                "Comment": "test",
                "Enabled": True,
                "Origins": {
                    "Quantity": 1,
                    "Items": [
                        {
                            "Id": "web",
                            "DomainName": f"{BUCKET}.s3.{REGION}.amazonaws.com",
                            "S3OriginConfig": {"OriginAccessIdentity": ""},
                        }
                    ],
                },
                "DefaultCacheBehavior": {
                    "TargetOriginId": "web",
                    "ViewerProtocolPolicy": "redirect-to-https",
                    "MinTTL": 0,
                },
            }
        )["Distribution"]
        yield {"s3": s3, "cloudfront": cloudfront, "distribution": distribution["Id"]}


def test_the_real_web_folder_is_publishable_with_known_types() -> None:
    files = {f.key: f for f in web_files()}
    assert files["index.html"].content_type == "text/html; charset=utf-8"
    assert files["kiosk/index.html"].cache_control == "no-cache"
    assert files["kiosk/kiosk.js"].content_type == "text/javascript; charset=utf-8"
    assert files["vendor/qrcode-generator/qrcode.mjs"].content_type.startswith("text/javascript")
    assert files["shared/base.css"].content_type == "text/css; charset=utf-8"
    assert files["shared/base.css"].cache_control == "public, max-age=300"
    # HTML last: a page never goes up before the scripts it loads.
    keys = [f.key for f in web_files()]
    first_html = next(i for i, k in enumerate(keys) if k.endswith(".html"))
    assert all(k.endswith(".html") for k in keys[first_html:])


def test_an_unknown_file_type_is_refused(tmp_path: Path) -> None:
    (tmp_path / "app.wasm").write_bytes(b"\0asm")
    with pytest.raises(PublishError, match=r"app\.wasm"):
        web_files(tmp_path)


def test_publish_uploads_with_types_deletes_stale_and_invalidates(
    aws: dict[str, Any], tmp_path: Path
) -> None:
    (tmp_path / "kiosk").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html>", encoding="utf-8")
    (tmp_path / "kiosk" / "kiosk.js").write_text("export {};", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"x")
    s3 = aws["s3"]
    s3.put_object(Bucket=BUCKET, Key="old/page.html", Body=b"old")

    done = publish(s3, aws["cloudfront"], BUCKET, aws["distribution"], web_files(tmp_path))

    assert done.uploaded == ["kiosk/kiosk.js", "index.html"]
    assert done.deleted == ["old/page.html"]
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert keys == ["index.html", "kiosk/kiosk.js"]
    head = s3.head_object(Bucket=BUCKET, Key="kiosk/kiosk.js")
    assert head["ContentType"] == "text/javascript; charset=utf-8"
    assert head["CacheControl"] == "public, max-age=300"
    assert s3.head_object(Bucket=BUCKET, Key="index.html")["CacheControl"] == "no-cache"
    invalidations = aws["cloudfront"].list_invalidations(DistributionId=aws["distribution"])
    items = invalidations["InvalidationList"]["Items"]
    assert [i["Id"] for i in items] == [done.invalidation_id]


def test_bucket_and_distribution_come_from_the_stack_outputs(aws: dict[str, Any]) -> None:
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    template = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {
            "WebBucketName": {"Value": BUCKET},
            "WebDistributionId": {"Value": aws["distribution"]},
        },
    }
    cloudformation.create_stack(StackName="pendopo-dev", TemplateBody=json.dumps(template))
    assert stack_outputs(cloudformation, "pendopo-dev") == (BUCKET, aws["distribution"], False)
    with pytest.raises(PublishError, match="pendopo-prod tidak ditemukan"):
        stack_outputs(cloudformation, "pendopo-prod")


def test_a_stack_without_web_outputs_is_a_clear_error(aws: dict[str, Any]) -> None:
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    template = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}
    cloudformation.create_stack(StackName="pendopo-dev", TemplateBody=json.dumps(template))
    with pytest.raises(PublishError, match="WebBucketName, WebDistributionId"):
        stack_outputs(cloudformation, "pendopo-dev")


def test_dry_run_lists_files_without_aws(capsys: pytest.CaptureFixture[str]) -> None:
    assert publish_web.main(["--stage", "dev", "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "kiosk/index.html\ttext/html; charset=utf-8\tno-cache" in printed


def publish_to_stage(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch, stage: str, training_mode: str
) -> int:
    """``pendopo-publish-web --stage <stage>`` against a stack whose output TrainingMode
    is ``training_mode``; the command's exit status."""
    outputs = {
        "WebBucketName": {"Value": BUCKET},
        "WebDistributionId": {"Value": aws["distribution"]},
        "TrainingMode": {"Value": training_mode},
    }
    template = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}, "Outputs": outputs}
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    cloudformation.create_stack(StackName=f"pendopo-{stage}", TemplateBody=json.dumps(template))
    monkeypatch.setattr(publish_web.boto3.session.Session, "client", _us_east_cloudfront)
    return publish_web.main(["--stage", stage, "--region", REGION])


@pytest.mark.parametrize(
    ("stage", "mode", "training"), [("training", "on", True), ("prod", "off", False)]
)
def test_each_stage_publishes_its_config_the_banner_reads(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch, stage: str, mode: str, training: bool
) -> None:
    # Given a stack whose output TrainingMode is "on" (training) or "off" (prod),
    # When web/ is published to it
    assert publish_to_stage(aws, monkeypatch, stage, mode) == 0
    # Then its config.json says so (the banner shows on training only), revalidated on
    # every visit
    config = aws["s3"].get_object(Bucket=BUCKET, Key="config.json")
    assert json.loads(config["Body"].read()) == {"stage": stage, "training": training}
    assert config["CacheControl"] == "no-cache"
    assert config["ContentType"] == "application/json"


def test_a_prod_stack_in_training_mode_publishes_nothing(
    aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The template's rule refuses such a stack; the command refuses it as well
    assert publish_to_stage(aws, monkeypatch, "prod", "on") == 2
    assert "prod tidak boleh" in capsys.readouterr().err
    assert "Contents" not in aws["s3"].list_objects_v2(Bucket=BUCKET)


def test_the_generated_config_replaces_a_config_json_in_the_folder(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text('{"training": true}', encoding="utf-8")
    files = web_files(tmp_path, config=config_file("dev", training=False))
    assert [f.key for f in files] == ["config.json"]
    assert json.loads(files[0].body()) == {"stage": "dev", "training": False}


_SESSION_CLIENT = boto3.session.Session.client


def _us_east_cloudfront(session: Any, service: str, **kwargs: Any) -> Any:
    """The command's clients, on moto (CloudFront is global: moto keeps it in us-east-1)."""
    region = "us-east-1" if service == "cloudfront" else REGION
    return _SESSION_CLIENT(session, service, region_name=region)  # type: ignore[call-overload]
