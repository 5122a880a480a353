"""Names and moments every test layer shares: the session's table, the pinned clock."""

from datetime import UTC, datetime

# The table tests/conftest.py puts in TABLE_NAME for the whole session.
TEST_TABLE = "pendopo-test-complaints"

# Tuesday 10 June 2025, 08:00 WIB: the Pendopo desks are open.
DESK_HOURS_MORNING = datetime(2025, 6, 10, 1, 0, tzinfo=UTC)
