"""The local stack's files bucket CORS: the template's rules, with the gateway's origin."""

from __future__ import annotations

from typing import Any

from tools.local.stack import files_bucket_cors

ORIGIN = "http://127.0.0.1:3000"


def test_the_templates_rules_with_the_gateways_origin() -> None:
    # Given the template's FilesBucket CORS (CloudFormation's names, !Ref AllowedOrigins)
    template: dict[str, Any] = {
        "Resources": {
            "FilesBucket": {
                "Properties": {
                    "CorsConfiguration": {
                        "CorsRules": [
                            {
                                "Id": "web-uploads",
                                "AllowedOrigins": {"Ref": "AllowedOrigins"},
                                "AllowedMethods": ["POST", "GET", "HEAD"],
                                "AllowedHeaders": ["*"],
                                "ExposedHeaders": ["ETag"],
                                "MaxAge": 600,
                            }
                        ]
                    }
                }
            }
        }
    }
    # Then the S3 API's rule, for the gateway's origin (and its localhost spelling)
    assert files_bucket_cors(ORIGIN, template) == [
        {
            "ID": "web-uploads",
            "AllowedOrigins": [ORIGIN, "http://localhost:3000"],
            "AllowedMethods": ["POST", "GET", "HEAD"],
            "AllowedHeaders": ["*"],
            "ExposeHeaders": ["ETag"],
            "MaxAgeSeconds": 600,
        }
    ]


def test_without_rules_in_the_template_a_rule_for_the_uploads() -> None:
    template: dict[str, Any] = {"Resources": {"FilesBucket": {"Properties": {}}}}
    (rule,) = files_bucket_cors(ORIGIN, template)
    assert rule["AllowedOrigins"] == [ORIGIN, "http://localhost:3000"]
    assert "POST" in rule["AllowedMethods"]


def test_the_template_of_this_checkout_gives_a_post_rule_for_the_origin() -> None:
    rules = files_bucket_cors(ORIGIN)
    assert any("POST" in r["AllowedMethods"] and ORIGIN in r["AllowedOrigins"] for r in rules)
