"""Shared fixtures. The store, ledger and CLI fixtures come from duty-tui's own pytest plugin
(duty_tui.testing), the same kit a plugin author gets."""

from __future__ import annotations

import pytest

from . import sample_plugin


@pytest.fixture
def with_sample(duty_plugins):
    """Register the sample plugin (a workflow type and a rule) for this test only."""
    duty_plugins.append(("sample", sample_plugin))
    return sample_plugin


@pytest.fixture
def cli(duty_cli):
    """The CLI on an initialised store whose admin is `admin`."""
    result = duty_cli("init")
    assert result.exit_code == 0, result.stderr
    return duty_cli
