"""The built artifacts, run as Lambda runs them: ``make build-host``'s twin of ``sam build``.

Each function is served in a fresh ``python3.13 -I -S -B`` whose ``sys.path`` is only
the function's artifact folder, the layer's ``python/`` folder and a site holding the
runtime's boto3/botocore (the versions requirements-dev.txt pins), before the standard
library: no repository source, no development venv. The AWS it talks to is a moto
server on 127.0.0.1 started here, with the table, the sender identity, the files
bucket and the officer pool created from template.yaml.

The fixtures are here; the moto account and serving an event from an artifact are in
tests/support/artifacts.py; the builds' paths, the functions' list, the runtime's site
and a function's ``sys.path`` are in tools/build/runtime.py, which the cold-start bench
uses too.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.template import create_tables, create_user_pool
from tests.support.artifacts import (
    FILES_BUCKET,
    OFFICER_EMAIL,
    OFFICER_PASSWORD,
    REGION,
    SES_SENDER,
    STAGE,
    Artifacts,
    Aws,
)
from tools.build import runtime
from tools.build.host import stale_artifacts
from tools.build.runtime import HOST_BUILD
from tools.local.events import http_api_event


@pytest.fixture(scope="session")
def host_build() -> Path:
    """The twin, which must be current (``make test`` runs ``make build-host`` first)."""
    stale = stale_artifacts()
    if stale:
        pytest.fail(
            f"the host build of {', '.join(stale)} is missing or stale: run `make build-host`"
        )
    return HOST_BUILD


# ------------------------------------------------------------------ the runtime's site


@pytest.fixture(scope="session")
def runtime_site() -> Path:
    """boto3, botocore (and their dependencies) and the SnapStart hooks, as the runtime has
    them, compiled (``tools/build/runtime.py``; installed once into ``.runtime-site/``)."""
    return runtime.runtime_site()


# ------------------------------------------------------------------ moto, provisioned


@pytest.fixture(scope="package")
def aws() -> Iterator[Aws]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        aws = Aws(
            url=f"http://{host}:{port}",
            table=f"pendopo-artifact-{uuid.uuid4().hex[:8]}",
            user_pool_id="",
            client_id="",
        )
        create_tables(aws.client("dynamodb"), aws.table)
        aws.client("ses").verify_email_identity(EmailAddress=SES_SENDER)
        aws.client("s3").create_bucket(
            Bucket=FILES_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        cognito = aws.client("cognito-idp")
        pool = create_user_pool(cognito, STAGE)
        aws.user_pool_id, aws.client_id = pool.user_pool_id, pool.client_id
        cognito.admin_create_user(
            UserPoolId=pool.user_pool_id,
            Username=OFFICER_EMAIL,
            UserAttributes=[{"Name": "email", "Value": OFFICER_EMAIL}],
            MessageAction="SUPPRESS",
        )
        cognito.admin_set_user_password(
            UserPoolId=pool.user_pool_id,
            Username=OFFICER_EMAIL,
            Password=OFFICER_PASSWORD,
            Permanent=True,
        )
        for group in ("koordinator", "BIRO_PLH"):
            cognito.admin_add_user_to_group(
                UserPoolId=pool.user_pool_id, Username=OFFICER_EMAIL, GroupName=group
            )
        yield aws
    finally:
        server.stop()


@pytest.fixture(scope="session")
def http_event() -> Any:
    """The one builder of API Gateway HTTP API (payload 2.0) events."""
    return http_api_event


@pytest.fixture(scope="package")
def artifacts(
    host_build: Path, runtime_site: Path, aws: Aws, tmp_path_factory: pytest.TempPathFactory
) -> Artifacts:
    assert sys.version_info[:2] == (3, 13), "the artifacts run on Python 3.13, the runtime's"
    return Artifacts(host_build, runtime_site, aws, tmp_path_factory.mktemp("artifact"))
