"""Publish the web clients (web/) to a stage's web bucket and refresh CloudFront.

    pendopo-publish-web --stage dev [--region ap-southeast-3] [--dry-run]
    make publish-web STAGE=dev

(``pendopo-publish-web`` is ``python -m tools.ops.publish_web``, installed by ``make venv``.)

The bucket and the distribution come from the outputs of stack ``pendopo-<stage>``
(``WebBucketName``, ``WebDistributionId``), read with your usual AWS credentials.

Every file is uploaded with its content type (a fixed table, not the machine's
mimetypes database, so a ``.mjs`` module is JavaScript on every machine) and a
cache lifetime: HTML is revalidated on every visit, other files live 5 minutes,
since there is no build step to fingerprint their names. Assets go up before the
HTML that references them; objects no longer under web/ are deleted afterwards
(the bucket keeps old versions 30 days); then one invalidation of ``/*`` makes
CloudFront fetch the new files at once.

One file is not under web/: ``config.json``, the stage's settings for the pages (is
this the training stage?), written from the stack's output ``TrainingMode``. Every
page loads it (web/shared/stage-banner.js) and shows the banner "MODE PELATIHAN" when
``training`` is true; the command refuses to publish a training config to prod. The
local stack serves the same file from its own settings (tools/local/stack.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import boto3
from botocore.exceptions import ClientError

from infra.template import REPO_ROOT
from tools.ops import targets

WEB_DIR = REPO_ROOT / "web"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    "": "text/plain; charset=utf-8",  # LICENSE files
}
HTML_CACHE = "no-cache"
ASSET_CACHE = "public, max-age=300"
# The stage's settings for the pages; revalidated on every visit, as HTML is.
CONFIG_KEY = "config.json"
PRODUCTION_STAGE = "prod"


class PublishError(Exception):
    """Something the person running the command must fix; printed without a traceback."""


@dataclass(frozen=True)
class WebFile:
    key: str
    path: Path | None  # None: generated (``content``)
    content_type: str
    cache_control: str
    content: bytes = b""

    def body(self) -> bytes:
        return self.path.read_bytes() if self.path is not None else self.content


def web_config(stage: str, training: bool) -> dict[str, object]:
    """What ``/config.json`` holds for a stage (the pages read ``training``)."""
    if training and stage == PRODUCTION_STAGE:
        raise PublishError(
            "Stage prod tidak boleh dalam mode pelatihan (TrainingMode=on): "
            "spanduk MODE PELATIHAN tidak boleh tampil di produksi."
        )
    return {"stage": stage, "training": training}


def config_file(stage: str, training: bool) -> WebFile:
    content = json.dumps(web_config(stage, training)).encode()
    return WebFile(CONFIG_KEY, None, CONTENT_TYPES[".json"], HTML_CACHE, content)


def web_files(root: Path = WEB_DIR, config: WebFile | None = None) -> list[WebFile]:
    """Every file to publish, assets before HTML; hidden files are left out.

    ``config``: the stage's generated ``config.json``, which replaces any file of that
    name under ``root``.
    """
    files: list[WebFile] = [config] if config is not None else []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if config is not None and relative.as_posix() == CONFIG_KEY:
            continue
        suffix = path.suffix.lower()
        if suffix not in CONTENT_TYPES:
            raise PublishError(
                f"Jenis berkas tidak dikenal: {relative} (tambahkan ke CONTENT_TYPES)."
            )
        cache = HTML_CACHE if suffix == ".html" else ASSET_CACHE
        files.append(WebFile(relative.as_posix(), path, CONTENT_TYPES[suffix], cache))
    return sorted(files, key=lambda f: (f.key.endswith(".html"), f.key))


class StackOutputs(NamedTuple):
    bucket: str
    distribution_id: str
    training: bool  # the output TrainingMode is "on"


def stack_outputs(cloudformation: Any, stack: str) -> StackOutputs:
    """The bucket, the distribution and the training mode, from the stack's outputs."""
    try:
        described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    except ClientError as error:
        raise PublishError(f"Stack {stack} tidak ditemukan: {error}") from error
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}
    missing = [k for k in ("WebBucketName", "WebDistributionId") if k not in outputs]
    if missing:
        raise PublishError(f"Stack {stack} tidak punya output {', '.join(missing)}.")
    return StackOutputs(
        outputs["WebBucketName"],
        outputs["WebDistributionId"],
        outputs.get("TrainingMode", "off") == "on",
    )


def _existing_keys(s3: Any, bucket: str) -> Iterator[str]:
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            yield item["Key"]


@dataclass(frozen=True)
class Published:
    uploaded: list[str]
    deleted: list[str]
    invalidation_id: str


def publish(
    s3: Any, cloudfront: Any, bucket: str, distribution_id: str, files: list[WebFile]
) -> Published:
    for web_file in files:
        s3.put_object(
            Bucket=bucket,
            Key=web_file.key,
            Body=web_file.body(),
            ContentType=web_file.content_type,
            CacheControl=web_file.cache_control,
        )
    wanted = {f.key for f in files}
    stale = sorted(k for k in _existing_keys(s3, bucket) if k not in wanted)
    for start in range(0, len(stale), 1000):
        chunk = stale[start : start + 1000]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in chunk]})
    invalidation = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={
            "Paths": {"Quantity": 1, "Items": ["/*"]},
            "CallerReference": f"publish-web-{time.time_ns()}",
        },
    )
    return Published([f.key for f in files], stale, invalidation["Invalidation"]["Id"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="pendopo-publish-web", description="Publish web/ to a stage's CloudFront site."
    )
    parser.add_argument("--stage", required=True, choices=targets.STAGES)
    parser.add_argument("--region", default=targets.DEFAULT_REGION)
    parser.add_argument("--dry-run", action="store_true", help="list the files, upload nothing")
    args = parser.parse_args(argv)
    return targets.exit_status(lambda: _run(args), refused=PublishError)


def _run(args: argparse.Namespace) -> int:
    if args.dry_run:
        for f in web_files(config=config_file(args.stage, training=False)):
            print(f"{f.key}\t{f.content_type}\t{f.cache_control}")
        return 0
    session = boto3.session.Session(region_name=args.region)
    bucket, distribution, training = stack_outputs(
        session.client("cloudformation"), targets.stack_name(args.stage)
    )
    files = web_files(config=config_file(args.stage, training))
    done = publish(session.client("s3"), session.client("cloudfront"), bucket, distribution, files)
    print(
        f"{len(done.uploaded)} berkas diunggah ke s3://{bucket}, {len(done.deleted)} dihapus; "
        f"invalidasi CloudFront {done.invalidation_id} untuk distribusi {distribution}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
