from __future__ import annotations

import pytest
from synthesis_fixtures import load_rules_text

from livingreview.synthesis.rules import Rules


@pytest.fixture
def rules() -> Rules:
    """The rules of ``synthesis_fixtures.RULES_YAML`` (short reason sentences, threshold 50)."""
    return load_rules_text()
