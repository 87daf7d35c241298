"""A short random walk over every role (the long one: uv run python -m bench.fuzz):
no update ends in an unhandled error and nobody is left without a way out."""

from __future__ import annotations

import os
import random

from sqlalchemy.ext.asyncio import AsyncSession

from services.clock import FixedClock
from tests.fakes.client import Deliver, PersonFactory
from tests.fuzz.walk import Walker
from tests.fuzz.world import populate

STEPS = int(os.environ.get("FUZZ_STEPS", "1000"))
SEED = int(os.environ.get("FUZZ_SEED", "20261129"))


async def test_a_thousand_random_updates_end_in_no_unhandled_error(
    db: AsyncSession, person: PersonFactory, clock: FixedClock, deliver: Deliver
) -> None:
    people = await populate(db, lambda name, user_id: person(name, user_id=user_id))
    walker = Walker(people, random.Random(SEED), clock, deliver)
    report = await walker.run(STEPS)
    assert report.steps == STEPS and report.presses > STEPS // 6 and report.forged > 0
    assert report.failures == [], "\n".join(
        f"step {f.step}, {f.who}, {f.action}: {f.what}" for f in report.failures[:20]
    )
