"""Every resource of the transformed template and what the infrastructure tests assert on it.

    python -m tests.infra.template_report

Prints a Markdown table (logical id, type, asserted properties) for the closing note
of the template issue. A property that does not hold is marked FAILS; a resource
whose type has no checker yet says so.
"""

from __future__ import annotations

import sys
from typing import Any

from infra.transform import transformed_template
from tests.infra.template_assertions import Transformed, checks_for

NOTHING = "(nothing asserted yet)"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report(template: dict[str, Any] | None = None) -> str:
    t = Transformed(template if template is not None else transformed_template())
    lines = [
        "| logical id | type | properties asserted |",
        "|---|---|---|",
    ]
    for logical_id in sorted(t.resources, key=lambda k: (t.resources[k]["Type"], k)):
        checks = checks_for(t, logical_id)
        asserted = "; ".join(c.prop if c.ok else f"FAILS: {c.prop} ({c.detail})" for c in checks)
        lines.append(
            f"| {logical_id} | {t.resources[logical_id]['Type']} | {_cell(asserted or NOTHING)} |"
        )
    covered = sum(1 for k in t.resources if checks_for(t, k))
    lines.append("")
    lines.append(
        f"{len(t.resources)} resources in the transformed template (Stage=prod), "
        f"{covered} with assertions, {len(t.resources) - covered} with none yet."
    )
    return "\n".join(lines)


def main() -> int:
    print(report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
