"""The backend contract suite (duty_tui.contract) on every backend duty-tui ships."""

from __future__ import annotations

import pytest

from duty_tui.contract import *  # noqa: F401,F403
from duty_tui.testing import store_url_for


@pytest.fixture(params=["sqlite", "tinydb", "postgresql"])
def contract_store_url(request, tmp_path):
    yield from store_url_for(request.param, tmp_path)
