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
        "POST /v1/complaints",
        "GET /v1/complaints/{ticket}",
        "GET /v1/openapi.json",
        "GET /v1/docs",
        "POST /v1/auth/login",
        "POST /v1/auth/new-password",
        "POST /v1/auth/refresh",
        "POST /v1/auth/logout",
        "GET /v1/auth/openapi.json",
    }
)
