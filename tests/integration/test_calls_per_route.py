"""DynamoDB calls per request, per route (the benchmark's run, asserted): at the minimum."""

from __future__ import annotations

from tools.bench import calls as bench_calls


def test_every_route_makes_the_minimum_number_of_dynamodb_calls() -> None:
    # Given every route of template.yaml called once on moto, a complaint's whole life
    calls = bench_calls.run()
    # Then each made exactly the calls its route needs at least, and none missed its goal
    assert {(c.route, c.total) for c in calls if c.total != c.minimum} == set()
    assert all(c.met is not False for c in calls)
    by_route = {c.route: c for c in calls}
    submits = [c for c in calls if c.route == "POST /v1/complaints" and c.minimum == 1]
    assert all(dict(c.calls) == {"TransactWriteItems": 1} for c in submits)
    # With attachments: one batch read of the uploads, and the same one transaction.
    with_files = [c for c in calls if c.label == "a web complaint with two photos"]
    assert [dict(c.calls) for c in with_files] == [{"BatchGetItem": 1, "TransactWriteItems": 1}]
    assert dict(by_route["GET /v1/complaints/{ticket}"].calls) == {"GetItem": 1}
    # The live figures: one Query per unit's counters, whatever the period
    assert dict(by_route["GET /v1/statistics"].calls) == {"Query": 7}
    assert dict(by_route["GET /v1/officer/dashboard"].calls) == {"Query": 7}
    actions = [c for c in calls if c.route.startswith("POST /v1/officer/complaints/{ticket}/")]
    # Every officer action but keep-closed (a second disputed complaint; the same two
    # calls), and the verifier's marking of a file.
    assert len({c.route for c in actions}) == 10
    proof = [c for c in actions if c.label.endswith("with a proof photo")]
    assert [dict(c.calls) for c in proof] == [
        {"GetItem": 1, "BatchGetItem": 1, "TransactWriteItems": 1}
    ]
    actions = [c for c in actions if c not in proof]
    steps = [c for c in calls if c.route.endswith(("/updates", "/feedback"))]
    assert len(steps) == 2  # the reporter's addition and rating
    assert all(dict(c.calls) == {"GetItem": 1, "TransactWriteItems": 1} for c in steps)
    assert all(dict(c.calls) == {"GetItem": 1, "TransactWriteItems": 1} for c in actions)
    assert all(c.status < 400 for c in calls)
    # An upload slot is one conditional put (the policy is signed locally); its status one read.
    assert dict(by_route["POST /v1/uploads"].calls) == {"PutItem": 1}
    assert dict(by_route["POST /v1/officer/uploads"].calls) == {"PutItem": 1}
    assert dict(by_route["GET /v1/uploads/{upload_id}"].calls) == {"GetItem": 1}
