"""The search output's one-line field summary."""

from __future__ import annotations

from cli.output import _field_summary


def test_a_value_found_twice_is_shown_once_and_order_is_kept() -> None:
    summary = _field_summary({"district": ["Huyện Gia Lâm", "Huyện Gia Lâm"], "ward": ["Xã Bát Tràng"]})
    assert "district: Huyện Gia Lâm ·" in summary or summary.endswith("district: Huyện Gia Lâm")
    assert summary.count("Huyện Gia Lâm") == 1
    assert summary.index("ward:") < summary.index("district:")
