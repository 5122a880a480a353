"""The local stack's demo Open311 partner, with a fixed key the README gives.

A fixed key is fine here: the local stack runs on 127.0.0.1 with made-up data. A
deployed stage has no demo partner; its partners come from ``pendopo-admin
create-partner``, whose keys are random and shown once.
"""

from __future__ import annotations

from pendopo.domain.clock import SystemClock
from pendopo.runtime.bootstrap import partner_service
from pendopo.storage.connection import bind_table

DEMO_PARTNER_NAME = "Aplikasi Demo Open311"
DEMO_PARTNER_KEY = "demo0311.kunci-demo-lokal-open311"


def provision_demo_partner(table_name: str, region: str, endpoint_url: str) -> str:
    """Create the demo partner in the local table; its key."""
    bind_table(table_name, region, endpoint_url)
    return partner_service(SystemClock()).create(DEMO_PARTNER_NAME, key=DEMO_PARTNER_KEY).key
