"""The cold-start harness: canned AWS answers (no network) and its report."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.session import get_session

from tools.bench.cold import BASELINE, CannedAws, ColdStartReport, FunctionColdStart


def _client() -> Any:
    return get_session().create_client(
        "dynamodb",
        region_name="ap-southeast-3",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def test_canned_answers_go_through_botocore_parsing_and_are_counted() -> None:
    client = _client()
    item = {"pk": {"S": "C#2506-4821-7734"}, "version": {"N": "3"}}
    canned = CannedAws(
        {
            "dynamodb.GetItem": [
                [200, {"content-type": "application/x-amz-json-1.0"}, json.dumps({"Item": item})]
            ]
        }
    )
    assert canned.install() >= 1
    key = {"pk": {"S": "C#2506-4821-7734"}, "sk": {"S": "C"}}
    for _ in range(2):  # the last answer repeats
        answer = client.get_item(TableName="t", Key=key)
        assert answer["Item"] == item
    assert canned.calls == {"dynamodb.GetItem": 2}
    with pytest.raises(ClientError):
        client.put_item(TableName="t", Item=key)
    assert canned.unanswered == ["dynamodb.PutItem"]


def test_the_report_has_ratios_against_the_baseline() -> None:
    def entry(name: str, init: float, first: float) -> FunctionColdStart:
        return FunctionColdStart(name, init, init / 2, first, init + first, 201, {"x.Op": 1})

    report = ColdStartReport(
        rounds=3,
        baseline=entry(BASELINE, 300.0, 3.0),
        functions=[entry("intake", 390.0, 10.0), entry("route", 420.0, 5.0)],
    )
    text = report.markdown()
    assert text.startswith("## Cold start")
    assert "| intake | 390.0 | 1.30 | 1.30 |" in text
    assert "| route | 420.0 | 1.40 (misses) |" in text
    assert report.total_ratio(report.functions[0]) == pytest.approx(400 / 303)
    assert "Without bytecode" not in text  # measured only when asked


def test_the_report_puts_the_artifact_without_bytecode_on_record() -> None:
    def entry(name: str, init: float) -> FunctionColdStart:
        return FunctionColdStart(name, init, init, 10.0, init + 10.0, 201, {})

    report = ColdStartReport(
        rounds=3,
        baseline=entry(BASELINE, 200.0),
        functions=[entry("intake", 260.0)],
        without_bytecode=[entry("intake", 600.0)],
    )
    text = report.markdown()
    assert "### With the artifact's bytecode (as deployed)" in text
    assert "| intake | 260.0 | 1.30 |" in text
    # init ms, ratio, CPU ratio, init + first ms, its ratio, what the bytecode saves
    assert "| intake | 600.0 | 3.00 | 3.00 | 610.0 | 2.90 | 340.0 |" in text


def test_every_function_runs_from_its_artifact_folder_then_the_layer_then_the_site(
    tmp_path: Any,
) -> None:
    from tools.bench.cold import FUNCTIONS, WITHOUT_BYTECODE, variants

    build, bare, site = tmp_path / "host", tmp_path / "bare", tmp_path / "site"
    found = {v.label: v.path for v in variants(list(FUNCTIONS), build, site, tmp_path, bare=bare)}
    assert found[BASELINE] == [str(tmp_path / "baseline-task"), str(site)]
    assert found["intake"] == [
        str(build / "IntakeFunction"),
        str(build / "CommonLayer" / "python"),
        str(site),
    ]
    assert found[f"sla_check@{WITHOUT_BYTECODE}"][0] == str(bare / "SlaCheckFunction")
    assert len(found) == 1 + 2 * len(FUNCTIONS)


def test_canned_answers_reach_clients_the_init_froze() -> None:
    import gc

    client = _client()
    gc.freeze()  # as pendopo.runtime.coldstart.end_init() does at the end of a handler's init
    try:
        assert client not in gc.get_objects()
        canned = CannedAws(
            {"dynamodb.GetItem": [[200, {"content-type": "application/x-amz-json-1.0"}, "{}"]]}
        )
        assert canned.install() >= 1
        client.get_item(TableName="t", Key={"pk": {"S": "x"}})
        assert canned.calls == {"dynamodb.GetItem": 1}
        assert gc.get_freeze_count() > 0  # frozen again for the measured request
    finally:
        gc.unfreeze()


def test_import_time_is_charged_to_the_package_that_caused_it() -> None:
    from tools.bench.cold import charge_imports

    report = "\n".join(
        [
            "import time: self [us] | cumulative | imported package",
            "import time:       100 |        100 |       re",
            "import time:       200 |        300 |     botocore.utils",
            "import time:        50 |         50 |       asyncio",
            "import time:        10 |         60 |     aws_lambda_powertools.event_handler",
            "import time:        40 |        400 |   pendopo.storage",
            "import time:         7 |          7 |   json",
            "import time:      1000 |       1407 | functions.intake.app",
            "import time:         5 |          5 | zipimport",
        ]
    )
    assert charge_imports(report) == {
        "AWS SDK": 300.0,  # botocore.utils and the re it imported
        "Powertools": 60.0,  # with its asyncio
        "pendopo (our layer)": 40.0,
        "handler module body": 1007.0,  # with the json it imported itself
        "other": 5.0,
    }


def test_a_new_run_keeps_the_hand_written_end_of_the_document(tmp_path: Any) -> None:
    from datetime import UTC, datetime

    from tools.bench.__main__ import HAND_WRITTEN, main

    output = tmp_path / "benchmarks.md"
    narrative = f"{HAND_WRITTEN}, not generated -->\n\n# How it works\n\nBy hand.\n"
    output.write_text(f"# Benchmarks\n\nan old run\n\n{narrative}", encoding="utf-8")
    main(["--only", "cost", "--output", str(output)])
    text = output.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks")
    assert "an old run" not in text
    assert text.endswith(narrative)
    assert text.count(HAND_WRITTEN) == 1
    assert datetime.now(UTC).strftime("%Y-%m-%d") in text
