"""The cost model's arithmetic (tools/bench/cost.py): units, sizes and prices."""

from __future__ import annotations

import pytest

from tools.bench.cost import PRICES, Usage, dollars, item_size, rru, wru


def test_write_units_round_up_per_kilobyte_and_double_in_a_transaction() -> None:
    assert wru(1) == 1
    assert wru(1024) == 1
    assert wru(1025) == 2
    assert wru(1025, transactional=True) == 4


def test_read_units_round_up_per_four_kilobytes_and_halve_when_eventual() -> None:
    assert rru(0) == 1.0
    assert rru(4096) == 1.0
    assert rru(4097) == 2.0
    assert rru(4097, consistent=False) == 1.0


def test_item_size_counts_names_and_values() -> None:
    item = {"pk": {"S": "C#1"}, "ok": {"BOOL": True}, "n": {"N": "123"}}
    # "pk"+"C#1" = 5, "ok"+1 = 3, "n" + (ceil(3/2)+1 = 3) = 4
    assert item_size(item) == 12
    nested = {"m": {"M": {"a": {"S": "xy"}}}}
    # "m" + 3 + ("a" + 1 + "xy") = 1 + 3 + 4
    assert item_size(nested) == 8


def test_dollars_multiply_each_quantity_by_its_list_price() -> None:
    use = Usage()
    use.add("intake", httpapi_requests=1_000_000, wru=2_000_000)
    use.add("intake", emails=1000)
    assert use.parts["intake"] == {"httpapi_requests": 1e6, "wru": 2e6, "emails": 1000}
    expected = 1e6 * PRICES["httpapi_request"][0] + 2e6 * PRICES["ddb_wru"][0] + 1000 * 0.0001
    assert dollars(use.parts["intake"]) == pytest.approx(expected)
    assert dollars({"httpapi_requests": 1e6}) == pytest.approx(1.00)
