"""The pynamodb models and template.yaml describe the same table and indexes."""

from infra.template import load_template, table_create_kwargs
from pendopo.storage.items import AccessItem, ComplaintItem, TableItem


def _template_table():
    return load_template()["Resources"]["ComplaintsTable"]["Properties"]


def _key_schema(schema):
    return {entry["KeyType"]: entry["AttributeName"] for entry in schema}


def test_the_table_keys_match():
    model_keys = _key_schema(TableItem._get_schema()["key_schema"])
    assert model_keys == _key_schema(_template_table()["KeySchema"])


def test_every_model_index_exists_in_the_template_with_the_same_keys():
    template_indexes = {
        index["IndexName"]: _key_schema(index["KeySchema"])
        for index in _template_table()["GlobalSecondaryIndexes"]
    }
    model_indexes = {
        index["index_name"]: _key_schema(index["key_schema"])
        for model in (ComplaintItem, AccessItem)
        for index in model._get_schema()["global_secondary_indexes"]
    }
    assert model_indexes == template_indexes
    # The models read every attribute from the indexes, so each projects ALL.
    for index in _template_table()["GlobalSecondaryIndexes"]:
        assert index["Projection"] == {"ProjectionType": "ALL"}


def test_the_ttl_attribute_is_the_one_idempotency_records_carry():
    from pendopo.storage.items import IdempotencyItem

    ttl = _template_table()["TimeToLiveSpecification"]["AttributeName"]
    assert ttl in IdempotencyItem.get_attributes()


def test_the_local_stack_creates_the_template_table():
    kwargs = table_create_kwargs("pendopo-local-complaints")
    assert kwargs["KeySchema"] == _template_table()["KeySchema"]
    assert [i["IndexName"] for i in kwargs["GlobalSecondaryIndexes"]] == [
        "open_by_due",
        "unit_month",
        "unit_status",
        "status_due",
        "public_month",
        "disputed_by_due",
        "officer_month",
    ]


def test_public_month_is_sparse_and_never_on_a_confidential_complaint():
    from datetime import UTC, datetime

    from pendopo.domain.status import Status
    from pendopo.storage.complaints import IndexKeys
    from tools.bench.synthetic import Spec, complaint

    received = datetime(2025, 6, 30, 18, 0, tzinfo=UTC)  # 1 July 01:00 WIB
    public = complaint(Spec(1, "BIRO_PLH", received, received, Status.DISPOSITION))
    assert IndexKeys.of(public).public_month == "2025-07#open"
    done = public.model_copy(update={"status": Status.DONE})
    assert IndexKeys.of(done).public_month == "2025-07#closed"
    secret = public.model_copy(
        update={"reporter": public.reporter.model_copy(update={"confidential": True})}
    )
    assert IndexKeys.of(secret).public_month is None


def test_officer_month_is_sparse_only_access_records_carry_its_key():
    """CloudFormation adds one GSI per update; this one indexes access records only."""
    from pendopo.storage.items import AccountEventItem, AuditEventItem, NotificationItem

    for model in (ComplaintItem, AuditEventItem, NotificationItem, AccountEventItem):
        assert "officer_month" not in model.get_attributes(), model.__name__
    assert "officer_month" in AccessItem.get_attributes()


def test_the_template_loader_refuses_duplicate_keys(tmp_path):
    import pytest

    from infra.template import DuplicateKeyError, load_template

    duplicated = tmp_path / "template.yaml"
    duplicated.write_text("Conditions:\n  A: !Equals [a, a]\nConditions:\n  B: !Equals [b, b]\n")
    with pytest.raises(DuplicateKeyError):
        load_template(duplicated)
