from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# Property tests are reproducible by default: the "ci" profile derandomizes Hypothesis (the same examples on
# every run and every machine) and keeps no example database in the checkout. Deadlines are off on purpose:
# the machine is shared and timing is measured in benchmarks/, never in tests. HYPOTHESIS_PROFILE=explore
# searches with fresh random examples.
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", deadline=None, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_texts(seed_paths: list[Path]) -> dict[str, str]:
    return {p.stem: p.read_text("utf-8") for p in seed_paths}
