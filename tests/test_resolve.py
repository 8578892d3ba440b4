"""Which pay rows a place named in a question means: a guide's row for a state holds that
state's cities, and a state asked about holds the guide's cities in it."""

from __future__ import annotations

from pathlib import Path

from assistant.resolve import rows_at
from index.parse import parse_guide

GUIDE = """\
# Data Analyst — Lakeshore Freight

## Compensation by Region

| Region | Base | Stock | Bonus | Total |
|---|---|---|---|---|
| Michigan | $90K–$110K | $5K–$10K | $5K–$8K | $100K–$128K |
| Austin, TX | $95K–$120K | $6K–$12K | $6K–$9K | $107K–$141K |
"""


def guide(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "lakeshore-freight" / "data-analyst.md"
    path.parent.mkdir()
    path.write_text(GUIDE)
    return parse_guide(path, tmp_path)


def test_a_state_row_holds_the_cities_of_that_state(tmp_path):
    assert [r.region for r in rows_at(guide(tmp_path), "us/mi/detroit")] == ["Michigan"]


def test_a_state_asked_about_holds_the_guides_cities_in_it(tmp_path):
    assert [r.region for r in rows_at(guide(tmp_path), "us/tx")] == ["Austin, TX"]


def test_a_city_elsewhere_is_in_no_row(tmp_path):
    assert rows_at(guide(tmp_path), "us/oh/columbus") == []
