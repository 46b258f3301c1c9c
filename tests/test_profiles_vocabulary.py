"""Layer names third-party maps use, in Ukrainian, Russian and English, map to the right Ukraine profile
state; words that contain another state's word ("деокупован" contains "окупован") are not confused."""

from __future__ import annotations

import pytest

from whoholds.profiles import load_profile

UKRAINE = load_profile("ukraine")


@pytest.mark.parametrize("label,state", [
    ("Оккупированная территория", "occupied"),
    ("Под контролем РФ", "occupied"),
    ("под контролем России", "occupied"),
    ("Під контролем РФ", "occupied"),
    ("ТОТ", "occupied"),
    ("Under Russian control", "occupied"),
    ("Seized by Russia", "occupied"),
    ("Крым", "occupied_2014"),
    ("Серая зона", "unknown"),
    ("зона боїв", "unknown"),
    ("спорная территория", "unknown"),
    ("Освобождено", "liberated"),
    ("Освобождённые территории", "liberated"),
    ("Звільнені території", "liberated"),
    ("Деокуповані території", "liberated"),
    ("деоккупированные районы", "liberated"),
    ("Liberated from Russian control", "liberated"),
    ("Под контролем Украины", "held"),
    ("Контролирует ВСУ", "held"),
    ("Контрольована Україною", "held"),
    ("Under Ukrainian control", "held"),
    ("Polygon 1", None),
    ("Layer 1", None),
    ("Russia", None),
    ("Ukraine", None),
])
def test_layer_names(label: str, state: str | None) -> None:
    assert UKRAINE.classify(label=label) == state


SYRIA = load_profile("syria")


@pytest.mark.parametrize("label,state", [
    ("مناطق سيطرة النظام", "gov"),
    ("قوات النظام السوري", "gov"),
    ("مناطق المعارضة", "opp"),
    ("الجيش الوطني السوري", "opp"),
    ("قسد", "sdf"),
    ("مناطق قوات سوريا الديمقراطية", "sdf"),
    ("هيئة تحرير الشام", "hts"),
    ("داعش", "isis"),
    ("الحكومة السورية", None),  # since December 2024 the new authorities: not mapped to the old "gov"
])
def test_syria_arabic_layer_names(label: str, state: str | None) -> None:
    assert SYRIA.classify(label=label) == state


@pytest.mark.parametrize("fill", ["#a52714", "#A52714", "a52714", "#a5271480", "rgba(165, 39, 20, 0.5)",
                                  "rgb(165,39,20)"])
def test_fill_colour_notations(fill: str) -> None:
    assert UKRAINE.classify(fill=fill) == "occupied"


def test_short_hex_fill() -> None:
    assert SYRIA.classify(fill="#f00") == SYRIA.classify(fill="#ff0000") == "gov"
