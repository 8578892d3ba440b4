"""The README is the manual: it must show the two commands and document every setting."""

from __future__ import annotations

import pytest

from assistant.settings import Settings
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented_in_the_readme(name):
    assert f"`NEGOTIATE_{name.upper()}`" in README


def test_readme_opens_with_the_two_commands():
    top = README.split("## ")[0]
    assert "make run" in top and "make test" in top
