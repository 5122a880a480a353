"""The whole system on loopback: moto standing in for AWS, the HTTP gateway, and the
table's stream delivered to the notify function (emails land in the local outbox).

    python -m tools.local.stack [--port 3000] [--moto-port 5000] [--demo] [--table NAME]
                                [--training [--email-allow-list LIST]]

serves the source tree; ``python -m tools.local.artifacts`` (same options) serves the
built artifacts instead (tools.local.artifacts).

Handlers run in this process (imported by the gateway), so the process environment
is what their "Lambda configuration" is: every AWS client in it talks to the moto
server with dummy credentials, and nothing can reach real AWS.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import boto3

from infra.template import REPO_ROOT, HttpRoute, create_tables, load_template
from pendopo.domain.officer import SCOPE_SEKDA
from tools.local import moto_cognito_sessions
from tools.local.accounts import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    demo_email,
    provision_accounts,
    unit_slug,
)
from tools.local.artifacts import ServedArtifacts, code_report, describe
from tools.local.gateway import DEFAULT_STATIC_DIR, LocalPage
from tools.local.jwt_check import JwtVerifier, cognito_issuer
from tools.local.moto_cognito_mfa import install_cognito_mfa
from tools.local.moto_isolation import serialize_moto_dynamodb
from tools.local.outbox import LOCAL_PAGES, capture_sesv2_requests, capture_sns_sms
from tools.local.partners import DEMO_PARTNER_KEY, DEMO_PARTNER_NAME, provision_demo_partner
from tools.local.proxy import GatewayRequest, GatewayResponse
from tools.local.server import LocalGateway
from tools.local.streams import (
    AGGREGATE_FUNCTION,
    StreamPoller,
    bound_moto_shard_iterators,
    function_handler,
)
from tools.local.throttle import RouteThrottle
from tools.ops.officers import scope_codes, unit_codes
from tools.ops.publish_web import CONFIG_KEY, web_config
from tools.ops.targets import DUMMY_CREDENTIAL, LOCAL_STAGE, local_session

LOCAL_HOST = "127.0.0.1"
LOCAL_REGION = "ap-southeast-3"
DEFAULT_TABLE = "pendopo-local-complaints"
SES_SENDER = "pendopo@pendopo.example"
FILES_BUCKET = "pendopo-local-files"

# Variables that could point boto3 at a real account or another endpoint; hidden
# while the stack runs so that only the values set here count.
_SHADOWED_PREFIXES = ("AWS_ENDPOINT_URL_", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN")


def _ensure_import_paths(artifacts: ServedArtifacts | None) -> None:
    """Handlers import ``functions.*`` and ``pendopo.*`` as they do in Lambda.

    ``make venv`` installs the project (editable); this also covers a checkout where it
    is not installed, and handler modules of the tests (``tests.*``). When the stack
    serves the built artifacts, they stay first on the path (tools.local.artifacts).
    """
    if artifacts is not None:
        return
    for path in (REPO_ROOT, REPO_ROOT / "layers" / "common"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))


def code_page(artifacts: ServedArtifacts | None) -> LocalPage:
    """``GET /_local/code``: which code the stack serves, from its loaded modules."""

    def page(request: GatewayRequest) -> GatewayResponse:
        body = json.dumps(code_report(artifacts), indent=2).encode()
        return GatewayResponse(200, [("content-type", "application/json")], body)

    return page


class PortInUseError(OSError):
    pass


def template_environment() -> dict[str, str]:
    """The literal variables of the template's Globals (intrinsics like !Ref skipped)."""
    variables = (
        load_template()
        .get("Globals", {})
        .get("Function", {})
        .get("Environment", {})
        .get("Variables", {})
    )
    return {name: str(value) for name, value in variables.items() if isinstance(value, str | int)}


def config_page(training: bool) -> LocalPage:
    """``GET /config.json``: the stage's settings for the pages, as pendopo-publish-web
    writes them for a deployed stage (the training banner)."""
    body = json.dumps(web_config(LOCAL_STAGE, training)).encode()

    def page(request: GatewayRequest) -> GatewayResponse:
        headers = [("content-type", "application/json"), ("cache-control", "no-cache")]
        return GatewayResponse(200, headers, body)

    return page


@dataclass(frozen=True)
class TrainingStage:
    """``--training``: the training stage's settings, as template.yaml's TrainingMode=on
    and TrainingEmailAllowList give them to a deployed stage."""

    email_allow_list: str = ""


def training_environment(training: TrainingStage | None) -> dict[str, str]:
    """The template's TRAINING_MODE and EMAIL_ALLOW_LIST for the local functions."""
    return {
        "TRAINING_MODE": "on" if training else "off",
        "EMAIL_ALLOW_LIST": training.email_allow_list if training else "",
    }


def local_environment(moto_url: str, table_name: str) -> dict[str, str]:
    """Environment for handlers and boto3 in this process: moto, dummy credentials."""
    env = template_environment()
    env.update(
        {
            "AWS_ENDPOINT_URL": moto_url,
            "AWS_ACCESS_KEY_ID": DUMMY_CREDENTIAL,
            "AWS_SECRET_ACCESS_KEY": DUMMY_CREDENTIAL,
            "AWS_SESSION_TOKEN": DUMMY_CREDENTIAL,
            "AWS_DEFAULT_REGION": LOCAL_REGION,
            "AWS_REGION": LOCAL_REGION,
            # No shared config, credentials file or instance metadata can leak in.
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
            "TABLE_NAME": table_name,
            "STAGE": LOCAL_STAGE,
            "POWERTOOLS_METRICS_NAMESPACE": "Pendopo",
            "POWERTOOLS_SERVICE_NAME": f"pendopo-{LOCAL_STAGE}",  # as template.yaml: per stage
            "POWERTOOLS_TRACE_DISABLED": "true",
            "SES_SENDER": SES_SENDER,
            "FILES_BUCKET": FILES_BUCKET,
        }
    )
    return env


def _check_port_free(host: str, port: int) -> None:
    """Fail fast on a taken port: ThreadedMotoServer would wait forever for it."""
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise PortInUseError(f"{host}:{port} is already in use") from error


class LocalStack:
    """moto in server mode plus the gateway, both on loopback, in this process.

    Ports default to 0, meaning any free port; ``api_url`` and ``moto_url`` tell
    which after ``start()``. ``env`` is what start() sets in ``os.environ`` for the
    in-process handlers; ``stop()`` puts the previous environment back. ``artifacts``: the built
    artifacts this process imports its code from (tools.local.artifacts; None: the
    source tree).
    """

    def __init__(
        self,
        *,
        port: int = 0,
        moto_port: int = 0,
        table_name: str = DEFAULT_TABLE,
        static_dir: Path | None = DEFAULT_STATIC_DIR,
        routes: Sequence[HttpRoute] | None = None,
        notifications: bool = True,
        throttle: bool = True,
        artifacts: ServedArtifacts | None = None,
        training: TrainingStage | None = None,
    ) -> None:
        self.table_name = table_name
        self.artifacts = artifacts
        # The template's per-route rate limits, as API Gateway applies them.
        self.throttle = throttle
        self.notifications = notifications
        self.env: dict[str, str] = {}
        # The training stage's settings (None: as production): banner, email allow-list.
        self.training = training
        self._port = port
        self._moto_port = moto_port
        self._static_dir = static_dir
        self._routes = routes
        self._moto: Any = None
        self._gateway: LocalGateway | None = None
        self.user_pool_id: str | None = None
        self.user_pool_client_id: str | None = None
        self.poller: StreamPoller | None = None
        # The live figures' aggregator (issue #19): a second consumer of the same stream.
        self.aggregator: StreamPoller | None = None
        self._saved_env: dict[str, str | None] = {}

    @property
    def api_url(self) -> str:
        if self._gateway is None:
            raise RuntimeError("the stack is not started")
        return self._gateway.url

    @property
    def moto_url(self) -> str:
        if self._moto is None:
            raise RuntimeError("the stack is not started")
        host, port = self._moto.get_host_and_port()
        return f"http://{host}:{port}"

    def start(self) -> None:
        _ensure_import_paths(self.artifacts)
        try:
            self._start_moto()
            self.env = local_environment(self.moto_url, self.table_name)
            self.env.update(training_environment(self.training))
            self.apply_environment()
            self._provision()
            # The function environment now names the pool (template Globals: !Refs).
            self.env.update(
                {
                    "USER_POOL_ID": self.user_pool_id or "",
                    "USER_POOL_CLIENT_ID": self.user_pool_client_id or "",
                }
            )
            self.apply_environment()
            self._gateway = LocalGateway(
                routes=self._routes,
                host=LOCAL_HOST,
                port=self._port,
                static_dir=self._static_dir,
                verifier=self.jwt_verifier(),
                local_pages={
                    **LOCAL_PAGES,
                    "/_local/code": code_page(self.artifacts),
                    f"/{CONFIG_KEY}": config_page(self.training is not None),
                },
                throttle=RouteThrottle.from_template() if self.throttle else None,
            )
            self._gateway.start()
            # Emails link to the officer console, served by the gateway.
            self.env["CONSOLE_URL"] = f"{self._gateway.url}/console/"
            # The reporter's SMS and emails link to the citizen web and the unsubscribe
            # route, both served by the gateway.
            self.env["CITIZEN_URL"] = f"{self._gateway.url}/warga/"
            self.apply_environment()
            if self.notifications:
                self._start_stream_poller()
        except BaseException:
            self.stop()
            raise

    def jwt_verifier(self) -> JwtVerifier:
        """The HttpApi JWT authorizer's checks against the local pool (moto's JWKS)."""
        if self.user_pool_id is None or self.user_pool_client_id is None:
            raise RuntimeError("the stack is not started")
        return JwtVerifier(
            issuer=cognito_issuer(LOCAL_REGION, self.user_pool_id),
            audiences=[self.user_pool_client_id],
            jwks_url=f"{self.moto_url}/{self.user_pool_id}/.well-known/jwks.json",
        )

    @property
    def outbox_url(self) -> str:
        return f"{self.api_url}/_local/outbox"

    def stop(self) -> None:
        if self.poller is not None:
            self.poller.stop()
            self.poller = None
        if self.aggregator is not None:
            self.aggregator.stop()
            self.aggregator = None
        if self._gateway is not None:
            self._gateway.stop()
            self._gateway = None
        if self._moto is not None:
            self._moto.stop()
            self._moto = None
        self.restore_environment()

    def apply_environment(self) -> None:
        """Put the stack's environment into os.environ (start() does it).

        Hides AWS_PROFILE and service-specific endpoint variables, which would
        otherwise win over the values set here. Idempotent.
        """
        shadowed = [name for name in os.environ if name.startswith(_SHADOWED_PREFIXES)]
        for name in [*self.env, *shadowed]:
            self._saved_env.setdefault(name, os.environ.get(name))
        for name in shadowed:
            del os.environ[name]
        os.environ.update(self.env)

    def restore_environment(self) -> None:
        """Give os.environ back its values from before apply_environment()."""
        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved_env = {}

    def __enter__(self) -> LocalStack:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _start_moto(self) -> None:
        # Imported here: moto's server pulls in every backend, which takes a moment.
        from moto.server import ThreadedMotoServer

        _check_port_free(LOCAL_HOST, self._moto_port)
        # moto's threaded server would let two conditional writes race; real DynamoDB
        # does not (see tools.local.moto_isolation). The server runs in this process, so the
        # patch applies to it.
        serialize_moto_dynamodb()
        # moto's Cognito issues tokens for an hour and forever, and has no RevokeToken;
        # the pool client's lifetimes and revocation hold here (tools.local.moto_cognito_sessions).
        moto_cognito_sessions.install()
        # moto keeps only the HTML part of an SES v2 email; the outbox wants the text too.
        capture_sesv2_requests()
        # moto's Cognito accepts any TOTP code with one secret for all; real Cognito does
        # not (see tools.local.moto_cognito_mfa).
        install_cognito_mfa()
        capture_sns_sms()  # moto keeps an SMS's number and text only; the outbox adds its time
        bound_moto_shard_iterators()
        self._moto = ThreadedMotoServer(ip_address=LOCAL_HOST, port=self._moto_port, verbose=False)
        self._moto.start()

    def _session(self) -> boto3.session.Session:
        return local_session(LOCAL_REGION)

    def _start_stream_poller(self) -> None:
        """The notify and aggregate functions' event source mappings: the stream, from now
        on (LATEST), each with its own position, as two Lambda mappings read it."""
        session = self._session()
        self.poller = StreamPoller(
            dynamodb_client=session.client("dynamodb", endpoint_url=self.moto_url),
            streams_client=session.client("dynamodbstreams", endpoint_url=self.moto_url),
            table_name=self.table_name,
            handler=function_handler(),
            region=LOCAL_REGION,
        )
        self.poller.start()
        # The aggregator's event source mapping: its own position, filter and retries.
        self.aggregator = StreamPoller(
            dynamodb_client=session.client("dynamodb", endpoint_url=self.moto_url),
            streams_client=session.client("dynamodbstreams", endpoint_url=self.moto_url),
            table_name=self.table_name,
            handler=function_handler(AGGREGATE_FUNCTION),
            function_name=AGGREGATE_FUNCTION,
            region=LOCAL_REGION,
        )
        self.aggregator.start()

    def _provision(self) -> None:
        """The resources the functions expect, created from the template's definitions."""
        session = self._session()
        endpoint = self.moto_url
        create_tables(session.client("dynamodb", endpoint_url=endpoint), self.table_name)
        # moto verifies identities at once; SES refuses to send from unverified senders.
        session.client("ses", endpoint_url=endpoint).verify_email_identity(EmailAddress=SES_SENDER)
        session.client("s3", endpoint_url=endpoint).create_bucket(
            Bucket=FILES_BUCKET,
            CreateBucketConfiguration={"LocationConstraint": LOCAL_REGION},  # type: ignore[typeddict-item]
        )
        provision_demo_partner(self.table_name, LOCAL_REGION, endpoint)
        # The officer pool, client and groups from the template; the demo accounts.
        pool = provision_accounts(session.client("cognito-idp", endpoint_url=endpoint), LOCAL_STAGE)
        self.user_pool_id = pool.user_pool_id
        self.user_pool_client_id = pool.client_id


def _wait_for_shutdown() -> None:
    """Block until Ctrl-C or SIGTERM."""
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    stop.wait()


def _print_urls(stack: LocalStack) -> None:
    api = stack.api_url
    print(
        "\nPendopo is running locally (Ctrl-C stops it).\n"
        f"  API            {api}/v1\n"
        f"  Swagger UI     {api}/v1/docs\n"
        f"  OpenAPI        {api}/v1/openapi.json\n"
        f"  Web clients    {api}/\n"
        f"  Outbox         {stack.outbox_url}\n"
        f"  moto (AWS)     {stack.moto_url}/moto-api/\n"
        f"  table          {stack.table_name}\n"
        + _training_line(stack.training)
        + "".join(line + "\n" for line in describe(stack.artifacts))
        + f"    modules      {api}/_local/code\n"
        f"  user pool      {stack.user_pool_id} (client {stack.user_pool_client_id})\n"
        f"\nDemo officer accounts (password {DEMO_PASSWORD}), log in at POST {api}/v1/auth/login:\n"
        f"  {demo_email('petugas', 'BIRO_PLH')}, {demo_email('koordinator', 'BIRO_PLH')}, ...\n"
        f"  petugas.<unit>@pendopo.example and koordinator.<unit>@pendopo.example for units\n"
        f"  {_unit_slugs()}\n"
        f"  {demo_email('verifikator', 'BIRO_PEM')}, {demo_email('admin')}: these two with TOTP\n"
        f"  (a 6-digit code, POST {api}/v1/auth/mfa) from the demo secret {DEMO_TOTP_SECRET}\n"
        f"  {demo_email('pimpinan', SCOPE_SEKDA)} (every unit) and "
        f"pimpinan.<asisten>@pendopo.example for\n"
        f"  {_scope_slugs()}: leaders, dashboard only\n"
        f"\nOpen311 demo partner ({DEMO_PARTNER_NAME}): api_key={DEMO_PARTNER_KEY}\n"
        f"  POST {api}/open311/v2/requests.json (docs/api.md, Open311 partners)\n",
        flush=True,
    )


def _training_line(training: TrainingStage | None) -> str:
    if training is None:
        return ""
    allowed = training.email_allow_list or "(none: no email goes out)"
    return f"  training mode  on: MODE PELATIHAN banner; emails only to {allowed}\n"


def _unit_slugs() -> str:
    return ", ".join(unit_slug(code) for code in unit_codes())


def _scope_slugs() -> str:
    return ", ".join(unit_slug(code) for code in scope_codes() if code != SCOPE_SEKDA)


def _load_demo(stack: LocalStack) -> None:
    from tools.local.demo import DemoLoadError, format_results, load_demo
    from tools.local.demo_workflow import advance_demo

    try:
        results = load_demo(stack.api_url)
        actions = advance_demo(stack.api_url, results)
    except (DemoLoadError, OSError) as error:
        # Keep serving: the API is up and the failure is worth inspecting in it.
        print(f"Demo data NOT loaded: {error}", file=sys.stderr, flush=True)
        return
    print(
        f"Demo data loaded: {len(results)} complaints, {actions} officer actions.\n"
        f"{format_results(results)}\n",
        flush=True,
    )


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.local.stack", description=__doc__)
    parser.add_argument("--port", type=int, default=3000, help="gateway port (0: any free port)")
    parser.add_argument("--moto-port", type=int, default=5000, help="moto port (0: any free port)")
    parser.add_argument("--table", default=DEFAULT_TABLE, help="DynamoDB table name")
    parser.add_argument("--demo", action="store_true", help="load demo complaints through the API")
    parser.add_argument(
        "--no-throttle",
        action="store_true",
        help="do not apply the template's per-route rate limits (tests that send bursts)",
    )
    parser.add_argument(
        "--training",
        action="store_true",
        help="the training stage's settings: the MODE PELATIHAN banner on every page, "
        "emails only to --email-allow-list",
    )
    parser.add_argument(
        "--email-allow-list",
        default="",
        help="with --training: addresses or @domains emails may go to, comma-separated",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, artifacts: ServedArtifacts | None = None) -> int:
    """``artifacts``: set by ``python -m tools.local.artifacts``, which already put them
    on the import path."""
    args = _parse_args(argv)
    # Access lines of the gateway; libraries only when something is wrong (werkzeug,
    # moto's server, would otherwise log every AWS call the handlers make). The
    # handlers log through Powertools to stdout, as in Lambda.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("tools").setLevel(logging.INFO)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    stack = LocalStack(
        port=args.port,
        moto_port=args.moto_port,
        table_name=args.table,
        throttle=not args.no_throttle,
        artifacts=artifacts,
        training=TrainingStage(args.email_allow_list) if args.training else None,
    )
    try:
        stack.start()
    except OSError as error:
        print(
            f"Cannot start the local stack: {error}. Choose other ports with --port/--moto-port.",
            file=sys.stderr,
        )
        return 1
    try:
        _print_urls(stack)
        if args.demo:
            _load_demo(stack)
        _wait_for_shutdown()
    finally:
        print("Stopping...", file=sys.stderr, flush=True)
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
