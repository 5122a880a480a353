"""What an Open311 partner is answered when it files a request: ``[{service_request_id,
service_notice}]``.

The notice is the same for every request, whatever the deadline rules (the
expected time is in ``GET requests/{id}``): a partner's app may show it as it is.
"""

from __future__ import annotations

from pendopo.domain.model import ViewModel
from pendopo.views.public import Receipt

SERVICE_NOTICE = (
    "Pengaduan diterima Pendopo Balai Kota dan diteruskan ke unit yang berwenang. "
    "Pantau statusnya melalui requests/{service_request_id}."
)


class ServiceRequestCreated(ViewModel):
    service_request_id: str
    service_notice: str


def created(receipt: Receipt) -> list[ServiceRequestCreated]:
    """The answer to ``POST requests``: one request, its id the ticket."""
    return [ServiceRequestCreated(service_request_id=receipt.ticket, service_notice=SERVICE_NOTICE)]
