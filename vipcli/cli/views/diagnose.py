"""`vip diagnose`: the two allocations as bars side by side, the gaps in sentences, the
products that fill them by name beside code (§18, §16)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from vipcli.cli.output import echo, info, table
from vipcli.cli.views.charts import BarChart
from vipcli.domain import labels
from vipcli.domain.money import money_str_display as money
from vipcli.i18n import _


def _percent(share: Decimal) -> str:
    return f"{share * 100:.2f}%"


def render(doc: Mapping[str, Any]) -> None:
    from vipcli.services.sales.diagnosis import gap_sentence

    echo(_("Wealth diagnosis of {customer}: risk level {level}, financial assets {total} "
           "CNY ({date})").format(customer=labels.named(doc["name"], doc["customer_id"]),
                                  level=doc["risk_level_label"], total=money(doc["total"]),
                                  date=doc["as_of"]))
    rows = [(labels.diagnosis_category(c), [Decimal(doc["current"][c]), Decimal(doc["model"][c])])
            for c in doc["current"]]
    echo(BarChart(None, [_("Current"), _("Model")], rows, _percent))
    if doc["gaps"]:
        echo(_("Gaps:"))
        for gap in doc["gaps"]:
            c = gap["category"]
            echo("  " + gap_sentence(c, gap["gap"], doc["current"][c], doc["model"][c]))
    else:
        echo(_("No category is off the model by the threshold or more."))
    if doc["suggested"]:
        echo(table(_("Suitable products for the under-weight categories"),
                   [_("Category"), _("Product"), _("Risk rating")],
                   [[labels.diagnosis_category(p["category"]),
                     labels.named(p["name"], p["product_code"]),
                     f"PR{p['risk_rating']}" if p["risk_rating"] else "—"]
                    for p in doc["suggested"]]))
    elif any(Decimal(g["gap"]) > 0 for g in doc["gaps"]):
        echo(_("No suitable product not already held fills the under-weight categories."))
    if "file" in doc:
        info(_("wrote the diagnosis to {file} (xlsx with a chart, audited)").format(
            file=doc["file"]))
