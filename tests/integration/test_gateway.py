"""The local gateway and the HTTP API payload-2.0 event builder.

The gateway runs on a free loopback port with test routes pointing at
tests/support/gateway_handlers.py, whose handlers echo the event they get
or return the Lambda result the test sends them.
"""

from __future__ import annotations

import base64
import http.client
import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from infra.template import HttpRoute
from tools.local.events import http_api_event, lambda_context
from tools.local.server import MAX_BODY_BYTES, LocalGateway

HANDLERS = "tests.support.gateway_handlers"


def _route(method: str, path: str, handler: str, function: str = "TestFunction") -> HttpRoute:
    return HttpRoute(method, path, function, f"{HANDLERS}.{handler}", authorized=False)


ROUTES = [
    _route("GET", "/v1/things/{thing}", "echo"),
    _route("GET", "/v1/things/special", "echo"),
    _route("GET", "/v1/files/{proxy+}", "echo"),
    _route("GET", "/v1/files/docs/{proxy+}", "echo"),
    _route("POST", "/v1/echo", "echo"),
    # A template function: its context comes from template.yaml.
    _route("GET", "/v1/intake-context", "echo", function="IntakeFunction"),
    _route("POST", "/v1/scripted", "scripted"),
    _route("GET", "/v1/plain-string", "plain_string"),
    _route("GET", "/v1/plain-dict", "plain_dict"),
    _route("GET", "/v1/boom", "boom"),
    _route("GET", "/v1/unserializable", "unserializable"),
]

SECRET = "rahasia di luar web/"


@pytest.fixture(scope="module")
def static_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    web = root / "web"
    (web / "kiosk").mkdir(parents=True)
    (web / "index.html").write_text("<h1>Beranda</h1>", encoding="utf-8")
    (web / "kiosk" / "index.html").write_text("<h1>Kiosk</h1>", encoding="utf-8")
    (web / "app.js").write_text("console.log('halo');", encoding="utf-8")
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    return web


@pytest.fixture(scope="module")
def gateway(static_dir: Path) -> Iterator[LocalGateway]:
    with LocalGateway(routes=ROUTES, static_dir=static_dir) as running:
        yield running


def echoed(response: requests.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["event"]
    return result


def raw_request(
    gateway: LocalGateway,
    method: str,
    target: str,
    headers: list[tuple[str, str]] | None = None,
    body: bytes | None = None,
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Send the request target byte for byte (requests would normalize "..")."""
    address = urlsplit(gateway.url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=10)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in headers or []:
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def scripted(gateway: LocalGateway, result: Any) -> requests.Response:
    return requests.post(f"{gateway.url}/v1/scripted", json={"result": result}, timeout=10)


# ------------------------------------------------------------------ route matching


def test_path_variable_route_receives_decoded_path_parameter(gateway: LocalGateway) -> None:
    # Given a route GET /v1/things/{thing}
    # When a client requests an encoded value in that segment
    event = echoed(requests.get(f"{gateway.url}/v1/things/abc%20def", timeout=10))
    # Then the event names the route and carries the decoded parameter
    assert event["routeKey"] == "GET /v1/things/{thing}"
    assert event["requestContext"]["routeKey"] == "GET /v1/things/{thing}"
    assert event["rawPath"] == "/v1/things/abc%20def"
    assert event["pathParameters"] == {"thing": "abc def"}


def test_literal_route_wins_over_path_variable(gateway: LocalGateway) -> None:
    # Given GET /v1/things/special and GET /v1/things/{thing}
    # When the literal path is requested
    event = echoed(requests.get(f"{gateway.url}/v1/things/special", timeout=10))
    # Then the literal route is chosen, and no pathParameters are sent
    assert event["routeKey"] == "GET /v1/things/special"
    assert "pathParameters" not in event


def test_greedy_route_takes_the_rest_of_the_path(gateway: LocalGateway) -> None:
    # Given GET /v1/files/{proxy+}
    # When a nested path is requested
    event = echoed(requests.get(f"{gateway.url}/v1/files/2026/06/foto.jpg", timeout=10))
    # Then the whole remainder is the proxy parameter
    assert event["routeKey"] == "GET /v1/files/{proxy+}"
    assert event["pathParameters"] == {"proxy": "2026/06/foto.jpg"}


def test_longer_greedy_prefix_wins(gateway: LocalGateway) -> None:
    # Given /v1/files/{proxy+} and /v1/files/docs/{proxy+}
    # When a path under /v1/files/docs/ is requested
    event = echoed(requests.get(f"{gateway.url}/v1/files/docs/a/b.pdf", timeout=10))
    # Then the more specific greedy route is chosen
    assert event["routeKey"] == "GET /v1/files/docs/{proxy+}"
    assert event["pathParameters"] == {"proxy": "a/b.pdf"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/unknown"),
        ("GET", "/v1/files/"),
        ("DELETE", "/v1/things/abc"),
        ("POST", "/v1/plain-string"),
        ("GET", "/v1/echo"),
    ],
)
def test_no_route_or_wrong_method_is_404_not_found(
    gateway: LocalGateway, method: str, path: str
) -> None:
    # Given no route for this method and path
    # When it is requested
    response = requests.request(method, f"{gateway.url}{path}", timeout=10)
    # Then the answer is API Gateway's own 404
    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}


# --------------------------------------------------------------------- event shape


def test_event_has_the_payload_v2_shape(gateway: LocalGateway) -> None:
    # Given a request with repeated headers, cookies, a query string and a JSON body
    status, _, raw = raw_request(
        gateway,
        "POST",
        "/v1/echo?a=1&a=2&nama=Sri%20Wahyuni&kosong=",
        headers=[
            ("X-Custom", "Satu"),
            ("X-Repeat", "pertama"),
            ("X-Repeat", "kedua"),
            ("Cookie", "session=abc; theme=dark"),
            ("User-Agent", "pendopo-test/1.0"),
            ("Content-Type", "application/json"),
        ],
        body=b'{"judul": "Jalan rusak"}',
    )
    # When the handler receives it
    assert status == 200
    event = json.loads(raw)["event"]
    # Then it is the HTTP API 2.0 event
    assert event["version"] == "2.0"
    assert event["routeKey"] == "POST /v1/echo"
    assert event["rawPath"] == "/v1/echo"
    assert event["rawQueryString"] == "a=1&a=2&nama=Sri%20Wahyuni&kosong="
    assert event["queryStringParameters"] == {"a": "1,2", "nama": "Sri Wahyuni", "kosong": ""}
    assert event["cookies"] == ["session=abc", "theme=dark"]
    assert event["body"] == '{"judul": "Jalan rusak"}'
    assert event["isBase64Encoded"] is False
    assert "stageVariables" not in event
    # And headers are lowercased, repeats comma-joined, the cookie header moved out
    headers = event["headers"]
    assert all(name == name.lower() for name in headers)
    assert headers["x-custom"] == "Satu"
    assert headers["x-repeat"] == "pertama,kedua"
    assert "cookie" not in headers
    assert headers["x-forwarded-for"] == "127.0.0.1"
    # And the request context says who asked what, when
    context = event["requestContext"]
    assert context["http"] == {
        "method": "POST",
        "path": "/v1/echo",
        "protocol": "HTTP/1.1",
        "sourceIp": "127.0.0.1",
        "userAgent": "pendopo-test/1.0",
    }
    assert context["stage"] == "$default"
    assert context["accountId"] == "123456789012"
    assert re.fullmatch(r"[0-9a-f-]{36}", context["requestId"])
    assert re.fullmatch(r"\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000", context["time"])
    assert isinstance(context["timeEpoch"], int)
    assert "authorizer" not in context


def test_binary_body_arrives_base64_encoded(gateway: LocalGateway) -> None:
    # Given a body that is not UTF-8
    payload = b"\x89PNG\r\n\x1a\n\xff\xfe\x00"
    # When it is posted
    event = echoed(
        requests.post(
            f"{gateway.url}/v1/echo",
            data=payload,
            headers={"Content-Type": "image/png"},
            timeout=10,
        )
    )
    # Then the event carries it base64-encoded, byte for byte
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == payload


def test_request_without_body_has_no_body_field(gateway: LocalGateway) -> None:
    # Given a GET without body, cookies or query string
    event = echoed(requests.get(f"{gateway.url}/v1/things/x", timeout=10))
    # Then those fields are absent, as in AWS
    assert "body" not in event
    assert event["isBase64Encoded"] is False
    assert "cookies" not in event
    assert "queryStringParameters" not in event
    assert event["rawQueryString"] == ""


def test_context_is_the_lambda_context_of_the_template_function(gateway: LocalGateway) -> None:
    # Given a route of IntakeFunction, 512 MB and 10 s in template.yaml
    response = requests.get(f"{gateway.url}/v1/intake-context", timeout=10)
    # When its handler runs
    context = response.json()["context"]
    # Then the context names the function as deployed on stage "local"
    assert context["function_name"] == "pendopo-local-intake"
    assert context["invoked_function_arn"].endswith(":function:pendopo-local-intake")
    assert context["memory_limit_in_mb"] == 512
    assert context["log_group_name"] == "/aws/lambda/pendopo-local-intake"
    assert 0 < context["remaining_ms"] <= 10_000


# ------------------------------------------------------------ response conversion


def test_proxy_response_sets_status_headers_cookies_and_body(gateway: LocalGateway) -> None:
    # Given a handler result with status, headers, cookies and body
    result = {
        "statusCode": 201,
        "headers": {"Content-Type": "text/plain; charset=utf-8", "X-Ticket": "2506-4821-7734"},
        "cookies": ["a=1; Path=/", "b=2; HttpOnly"],
        "body": "Pengaduan diterima",
    }
    # When the gateway turns it into HTTP
    response = scripted(gateway, result)
    # Then every part arrives, each cookie as its own Set-Cookie header
    assert response.status_code == 201
    assert response.headers["X-Ticket"] == "2506-4821-7734"
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.raw.headers.getlist("Set-Cookie") == ["a=1; Path=/", "b=2; HttpOnly"]
    assert response.text == "Pengaduan diterima"
    assert response.headers["apigw-requestid"]


def test_base64_response_body_is_decoded(gateway: LocalGateway) -> None:
    # Given a handler returning binary content base64-encoded
    image = bytes(range(256))
    result = {
        "statusCode": 200,
        "headers": {"content-type": "image/png"},
        "isBase64Encoded": True,
        "body": base64.b64encode(image).decode(),
    }
    # When the gateway answers
    response = scripted(gateway, result)
    # Then the client gets the bytes
    assert response.content == image
    assert response.headers["Content-Type"] == "image/png"


def test_proxy_response_without_content_type_defaults_to_json(gateway: LocalGateway) -> None:
    response = scripted(gateway, {"statusCode": 204})
    assert response.status_code == 204
    assert response.headers["Content-Type"] == "application/json"
    assert response.content == b""


def test_plain_string_result_is_a_200_json_response(gateway: LocalGateway) -> None:
    # Given a handler that returns a bare string
    response = requests.get(f"{gateway.url}/v1/plain-string", timeout=10)
    # Then AWS's rule applies: 200, application/json, the string as body
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.text == "halo dari Lambda"


def test_dict_without_status_code_is_a_200_json_body(gateway: LocalGateway) -> None:
    response = requests.get(f"{gateway.url}/v1/plain-dict", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"ok": True, "items": [1, 2]}


@pytest.mark.parametrize(
    "result",
    [
        {"statusCode": "two hundred"},
        {"statusCode": 200, "body": {"not": "a string"}},
        {"statusCode": 200, "headers": ["x"]},
        {"statusCode": 200, "isBase64Encoded": True, "body": "###"},
    ],
)
def test_malformed_proxy_response_is_500(gateway: LocalGateway, result: dict[str, Any]) -> None:
    response = scripted(gateway, result)
    assert response.status_code == 500
    assert response.json() == {"message": "Internal Server Error"}


def test_unserializable_result_is_500(gateway: LocalGateway) -> None:
    response = requests.get(f"{gateway.url}/v1/unserializable", timeout=10)
    assert response.status_code == 500


# --------------------------------------------------------------- limits and errors


def test_body_over_10_mb_is_refused_with_413(gateway: LocalGateway) -> None:
    # Given a body one byte over API Gateway's 10 MB limit
    body = b"x" * (MAX_BODY_BYTES + 1)
    # When it is posted
    response = requests.post(f"{gateway.url}/v1/echo", data=body, timeout=30)
    # Then the gateway refuses it before any handler runs
    assert response.status_code == 413
    assert response.json() == {"message": "Request Entity Too Large"}


def test_announced_oversized_body_is_refused_before_it_is_sent(gateway: LocalGateway) -> None:
    # Given a client that announces 11 MB and waits for "100 Continue" (as curl does)
    headers = [("Expect", "100-continue"), ("Content-Length", str(11 * 1024 * 1024))]
    # When it sends only the headers
    status, _, body = raw_request(gateway, "POST", "/v1/echo", headers=headers)
    # Then it is told 413 at once, without sending the body
    assert status == 413
    assert json.loads(body) == {"message": "Request Entity Too Large"}


def test_chunked_request_body_reaches_the_handler(gateway: LocalGateway) -> None:
    # Given a body sent with Transfer-Encoding: chunked
    def chunks() -> Iterator[bytes]:
        yield b'{"judul": '
        yield b'"Lampu mati"}'

    # When it is posted
    response = requests.post(
        f"{gateway.url}/v1/echo",
        data=chunks(),
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    # Then the handler gets the whole body
    assert echoed(response)["body"] == '{"judul": "Lampu mati"}'


def test_handler_exception_is_500_with_traceback_logged(
    gateway: LocalGateway, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a handler that raises
    caplog.set_level(logging.INFO, logger="tools.local.gateway")
    # When its route is called
    response = requests.get(f"{gateway.url}/v1/boom", timeout=10)
    # Then the client gets API Gateway's 500 and the traceback is logged
    assert response.status_code == 500
    assert response.json() == {"message": "Internal Server Error"}
    failures = [r for r in caplog.records if r.exc_info]
    assert failures
    assert "handler failed on purpose" in str(failures[0].exc_info[1])  # type: ignore[index]


def test_access_log_has_no_query_string_headers_or_body(
    gateway: LocalGateway, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a request carrying a tracking code in a header and a NIK in the query
    caplog.set_level(logging.INFO, logger="tools.local.server")
    requests.get(
        f"{gateway.url}/v1/things/abc?nik=3174031507850012",
        headers={"X-Tracking-Code": "K7QM-2XPD"},
        timeout=10,
    )
    # Then one access line names method, path and status, and nothing personal
    lines = [r.getMessage() for r in caplog.records if r.name == "tools.local.server"]
    assert any(re.fullmatch(r"GET /v1/things/abc 200 [\d.]+ms", line) for line in lines)
    assert not any("3174031507850012" in line or "K7QM" in line for line in lines)


# -------------------------------------------------------------------- static files


def test_root_serves_web_index(gateway: LocalGateway) -> None:
    response = requests.get(f"{gateway.url}/", timeout=10)
    assert response.status_code == 200
    assert response.text == "<h1>Beranda</h1>"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"


def test_directory_url_serves_its_index(gateway: LocalGateway) -> None:
    response = requests.get(f"{gateway.url}/kiosk/", timeout=10)
    assert response.status_code == 200
    assert response.text == "<h1>Kiosk</h1>"


def test_directory_without_slash_redirects(gateway: LocalGateway) -> None:
    response = requests.get(f"{gateway.url}/kiosk", timeout=10, allow_redirects=False)
    assert response.status_code == 301
    assert response.headers["Location"] == "/kiosk/"


def test_static_file_has_its_content_type(gateway: LocalGateway) -> None:
    response = requests.get(f"{gateway.url}/app.js", timeout=10)
    assert response.status_code == 200
    assert "javascript" in response.headers["Content-Type"]


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/kiosk/..%2f..%2fsecret.txt",
        "/kiosk/%2e%2e/%2e%2e/secret.txt",
        "/%2fetc%2fpasswd",
        "/kiosk/%00index.html",
    ],
)
def test_path_traversal_is_refused(gateway: LocalGateway, target: str) -> None:
    # Given a file next to (not inside) the static directory
    # When a client tries to reach it, or the filesystem root, with dot segments
    status, _, body = raw_request(gateway, "GET", target)
    # Then nothing outside web/ is served
    assert status == 404
    assert SECRET.encode() not in body
    assert b"root:" not in body


def test_static_files_are_only_for_get_and_head(gateway: LocalGateway) -> None:
    assert requests.post(f"{gateway.url}/", data=b"x", timeout=10).status_code == 404
    head = requests.head(f"{gateway.url}/", timeout=10)
    assert head.status_code == 200
    assert head.content == b""


def test_missing_static_file_is_404(gateway: LocalGateway) -> None:
    response = requests.get(f"{gateway.url}/tidak-ada.html", timeout=10)
    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}


# ---------------------------------------------------------- the builder, directly


def test_builder_omits_optional_fields_when_empty() -> None:
    event = http_api_event("get", "/v1/categories")
    assert event["routeKey"] == "$default"
    assert event["requestContext"]["http"]["method"] == "GET"
    for absent in ("cookies", "queryStringParameters", "pathParameters", "body", "stageVariables"):
        assert absent not in event
    assert event["isBase64Encoded"] is False


def test_builder_prefixes_named_stage_as_aws_does() -> None:
    event = http_api_event("GET", "/v1/categories", stage="dev")
    assert event["rawPath"] == "/dev/v1/categories"
    assert event["requestContext"]["http"]["path"] == "/dev/v1/categories"
    assert event["requestContext"]["stage"] == "dev"


def test_builder_formats_time_like_aws() -> None:
    now = datetime(2026, 11, 29, 4, 54, 32, 123000, tzinfo=UTC)
    context = http_api_event("GET", "/", now=now)["requestContext"]
    assert context["time"] == "29/Nov/2026:04:54:32 +0000"
    assert context["timeEpoch"] == 1795928072123


def test_builder_adds_jwt_authorizer_claims() -> None:
    claims = {"sub": "officer-1", "cognito:groups": "verifikator"}
    event = http_api_event("GET", "/v1/queue", authorizer_claims=claims)
    assert event["requestContext"]["authorizer"] == {"jwt": {"claims": claims, "scopes": None}}


@pytest.mark.parametrize(
    ("content_type", "body", "base64_encoded"),
    [
        ("application/json", '{"a": "é"}', False),
        ("text/plain; charset=utf-8", "halo", False),
        ("application/problem+json", "{}", False),
        ("application/x-www-form-urlencoded", "a=1", True),
        ("multipart/form-data; boundary=x", "--x--", True),
        ("application/json", b"\xff\xfe", True),
    ],
)
def test_builder_base64_encodes_non_text_bodies(
    content_type: str, body: str | bytes, base64_encoded: bool
) -> None:
    event = http_api_event("POST", "/v1/x", headers={"Content-Type": content_type}, body=body)
    assert event["isBase64Encoded"] is base64_encoded
    raw = body.encode() if isinstance(body, str) else body
    decoded = base64.b64decode(event["body"]) if base64_encoded else event["body"].encode()
    assert decoded == raw


def test_lambda_context_has_what_powertools_reads() -> None:
    context = lambda_context("pendopo-local-intake", timeout_s=3, memory_mb=256)
    assert context.function_name == "pendopo-local-intake"
    assert context.function_version == "$LATEST"
    assert context.invoked_function_arn == (
        "arn:aws:lambda:ap-southeast-3:123456789012:function:pendopo-local-intake"
    )
    assert context.memory_limit_in_mb == 256
    assert re.fullmatch(r"[0-9a-f-]{36}", context.aws_request_id)
    assert context.log_group_name == "/aws/lambda/pendopo-local-intake"
    assert re.fullmatch(r"\d{4}/\d\d/\d\d/\[\$LATEST\][0-9a-f]{32}", context.log_stream_name)
    assert 0 < context.get_remaining_time_in_millis() <= 3000
