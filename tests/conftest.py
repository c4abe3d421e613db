"""Shared fixtures. Evaluation data in ../shared is optional: tests that need it skip cleanly without it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CASES = Path(__file__).resolve().parent / "cases"


def shared_path(*parts: str) -> Path:
    """Path under ../shared, or skip the test when it is not there (users do not have it)."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"evaluation data {p} not available")
    return p


@pytest.fixture(scope="session")
def seed_text() -> str:
    return shared_path("seed", "mehr-interior-ministry.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads(shared_path("seed", "gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def pipeline():
    """One pipeline for the whole session (building it parses hazm's word lists)."""
    from fa_policy_nlp.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def seed_article(pipeline, seed_text, gold):
    return pipeline(seed_text, published=gold["published"])
