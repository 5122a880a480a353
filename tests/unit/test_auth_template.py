"""template.yaml's officer pool matches the code that reads its tokens and the taxonomy."""

from __future__ import annotations

from infra.template import load_template, user_pool_groups
from pendopo.api.identity import officer_from_claims
from pendopo.domain.officer import ROLE_GROUPS, leader_scopes
from pendopo.domain.status import Role
from pendopo.domain.taxonomy import load_taxonomy
from pendopo.services.accounts import PASSWORD_MIN_LENGTH, PASSWORD_RULES
from tools.local.jwt_check import claims_for_event


def _resources():
    return load_template()["Resources"]


def test_unit_groups_are_the_taxonomy_units_and_role_groups_the_roles():
    groups = {group.name for group in user_pool_groups()}
    units = set(load_taxonomy().units)
    roles = set(ROLE_GROUPS)
    scopes = set(leader_scopes(load_taxonomy()))
    assert groups == units | roles | scopes
    assert not units & roles and not units & scopes and not roles & scopes
    assert "pimpinan" in roles and "SEKDA" in scopes
    assert len(user_pool_groups()) == len(groups)  # no group defined twice


def test_password_policy_is_what_the_422_message_says():
    policy = _resources()["OfficerUserPool"]["Properties"]["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == PASSWORD_MIN_LENGTH
    assert str(PASSWORD_MIN_LENGTH) in PASSWORD_RULES
    for rule in ("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols"):
        assert policy[rule] is True


def test_pool_is_admin_only_and_user_names_are_emails():
    props = _resources()["OfficerUserPool"]["Properties"]
    assert props["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert "UsernameAttributes" not in props  # the username claim must be the email


def test_app_client_is_public_with_password_and_refresh_flows_only():
    props = _resources()["OfficerUserPoolClient"]["Properties"]
    assert props["GenerateSecret"] is False
    assert sorted(props["ExplicitAuthFlows"]) == [
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
    ]
    assert props["PreventUserExistenceErrors"] == "ENABLED"
    assert props["EnableTokenRevocation"] is True


def test_http_api_has_the_jwt_authorizer_and_no_default_authorizer():
    auth = _resources()["HttpApi"]["Properties"]["Auth"]
    assert "DefaultAuthorizer" not in auth
    jwt = auth["Authorizers"]["OfficerAuthorizer"]["JwtConfiguration"]
    assert jwt["audience"] == [{"Ref": "OfficerUserPoolClient"}]
    assert "${OfficerUserPool}" in jwt["issuer"]["Fn::Sub"]


def test_auth_routes_are_public_and_login_is_throttled():
    events = _resources()["AuthFunction"]["Properties"]["Events"]
    assert all("Auth" not in event["Properties"] for event in events.values())
    login = events["Login"]["Properties"]
    assert login["RouteSettings"]["ThrottlingRateLimit"] < 20  # the API default


def test_claims_are_flattened_to_strings_as_http_apis_do():
    claims = {
        "sub": "1111-2222",
        "username": "koordinator.biro-plh@pendopo.example",
        "cognito:groups": ["koordinator", "BIRO_PLH"],
        "exp": 1700000000,
        "iat": 1699996400.0,
        "email_verified": True,
        "empty": [],
    }
    flat = claims_for_event(claims)
    assert flat == {
        "sub": "1111-2222",
        "username": "koordinator.biro-plh@pendopo.example",
        "cognito:groups": "[koordinator BIRO_PLH]",
        "exp": "1700000000",
        "iat": "1699996400",
        "email_verified": "true",
        "empty": "[]",
    }
    officer = officer_from_claims(flat, set(load_taxonomy().units))
    assert (officer.role, officer.unit) == (Role.COORDINATOR, "BIRO_PLH")
