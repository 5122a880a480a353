"""The routes the template leaves open, written out by hand: the tests' expectation.

infra/template.py reads which routes have the authorizer from template.yaml itself;
this list is what the tests compare that with (tests/infra/template_assertions.py) and
what the abuse tests treat as open (tests/integration/test_public_abuse.py).
"""

# Every route without the authorizer. A new public route must be added here on
# purpose, so a forgotten `Auth:` on an officer-only route cannot slip through.
PUBLIC_ROUTES = frozenset(
    {
        "GET /v1/categories",
        "GET /v1/kiosk/info",
        # Aggregate figures of every unit (issue #19): no complaint's data, cached 5 min.
        "GET /v1/statistics",
        "POST /v1/complaints",
        "GET /v1/complaints/{ticket}",
        "POST /v1/complaints/{ticket}/updates",
        "POST /v1/complaints/{ticket}/feedback",
        "GET /v1/complaints/{ticket}/unsubscribe",
        "POST /v1/complaints/{ticket}/unsubscribe",
        "GET /v1/openapi.json",
        "GET /v1/docs",
        "POST /v1/auth/login",
        "POST /v1/auth/new-password",
        "POST /v1/auth/mfa",
        "POST /v1/auth/mfa/setup",
        "POST /v1/auth/refresh",
        "POST /v1/auth/logout",
        "GET /v1/auth/openapi.json",
        # Open311 GeoReport v2: partner apps read services and public requests.
        "GET /open311/v2/discovery.json",
        "GET /open311/v2/discovery.xml",
        "GET /open311/v2/services.json",
        "GET /open311/v2/services.xml",
        "GET /open311/v2/services/{service_file}",
        "GET /open311/v2/requests.json",
        "GET /open311/v2/requests.xml",
        # Filing needs a partner's api_key, checked by the function (Open311 has no JWT).
        "POST /open311/v2/requests.json",
        "POST /open311/v2/requests.xml",
        "GET /open311/v2/requests/{request_file}",
        "GET /open311/v2/tokens/{token_file}",
    }
)
