"""Test-session environment: nothing may reach real AWS.

Dummy credentials and a fixed region for every test; moto (in-process under
``mock_aws`` or as the local stack's server on 127.0.0.1) answers every call.
"""

import os

from tests.support.constants import TEST_TABLE

for _name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_SESSION_TOKEN"):
    os.environ.pop(_name, None)
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ap-southeast-3",
        "AWS_REGION": "ap-southeast-3",
        "TABLE_NAME": TEST_TABLE,
        "STAGE": "test",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_NAMESPACE": "Pendopo",
        "SES_SENDER": "pendopo@pendopo.example",
        "CONSOLE_URL": "https://konsol.pendopo.example/console/",
        # The intake and route functions sign upload slots for this bucket.
        "FILES_BUCKET": "pendopo-test-files",
    }
)
