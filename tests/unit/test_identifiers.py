"""Ticket numbers people can read aloud; tracking codes nobody can guess."""

from datetime import UTC, datetime
from itertools import pairwise

from pendopo.domain.identifiers import (
    TICKET_PATTERN,
    damm_check_digit,
    new_ticket,
    new_tracking_code,
    normalize_ticket,
    normalize_tracking_code,
    tracking_code_matches,
    tracking_hash,
)


def test_ticket_carries_the_wib_month_of_receipt_and_a_valid_check_digit():
    # Given a receipt at 30 June 2025 18:00 UTC, which is 1 July 01:00 WIB
    received = datetime(2025, 6, 30, 18, 0, tzinfo=UTC)
    # When a ticket is drawn
    ticket = new_ticket(received)
    # Then it is grouped, starts with the WIB year-month and checks out
    assert TICKET_PATTERN.match(ticket)
    assert ticket.startswith("2507-")
    assert damm_check_digit(ticket.replace("-", "")) == 0
    assert normalize_ticket(ticket) == ticket


def test_typing_mistakes_in_a_ticket_are_caught():
    ticket = new_ticket(datetime(2025, 6, 9, tzinfo=UTC))
    digits = ticket.replace("-", "")
    for position in range(12):
        wrong = str((int(digits[position]) + 1) % 10)
        mistyped = digits[:position] + wrong + digits[position + 1 :]
        assert normalize_ticket(mistyped) is None, mistyped
    for left, right in pairwise(range(12)):
        if digits[left] != digits[right]:
            swapped = list(digits)
            swapped[left], swapped[right] = swapped[right], swapped[left]
            assert normalize_ticket("".join(swapped)) is None


def test_ticket_spelling_is_forgiven_but_not_its_content():
    ticket = new_ticket(datetime(2025, 6, 9, tzinfo=UTC))
    assert normalize_ticket(ticket.replace("-", " ")) == ticket
    assert normalize_ticket(ticket.replace("-", "")) == ticket
    assert normalize_ticket("abcd-efgh-ijkl") is None
    assert normalize_ticket("") is None
    assert normalize_ticket("١٢٣٤-٥٦٧٨-٩٠١٢") is None  # non-ASCII digits


def test_tickets_rarely_repeat_and_a_repeat_is_handled_by_the_store():
    # 2,000 draws from 10**7 numbers a month collide 0.2 times on average; more
    # than 10 collisions has a probability far below 1e-12, so this cannot flake.
    received = datetime(2025, 6, 9, tzinfo=UTC)
    assert len({new_ticket(received) for _ in range(2000)}) >= 1990


def test_tracking_codes_avoid_look_alike_characters():
    codes = {new_tracking_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == 9 and code[4] == "-"
        assert not set(code) & set("IO01")
        assert normalize_tracking_code(code.lower().replace("-", "")) == code


def test_only_the_hash_of_the_tracking_code_is_compared():
    stored = tracking_hash("2506-1234-5675", "ABCD-EFGH")
    assert stored != "ABCD-EFGH"
    assert tracking_code_matches("2506-1234-5675", "ABCD-EFGH", stored)
    assert not tracking_code_matches("2506-1234-5675", "ABCD-EFGJ", stored)
    assert not tracking_code_matches("2506-1234-5676", "ABCD-EFGH", stored)
