"""APScheduler wiring: periodic ticks only. No job per reminder and no pickled arguments
(the memory job store; what must happen later is an outbox row in the database), so a
restart loses nothing and a job never carries personal data.

The ticks are plain coroutines, called directly by tests:
- `dispatch_tick`: if this instance is the leader, send the due outbox rows;
- `planning_tick`: if this instance is the leader, plan nudges (silent pairs, stuck
  stages) and mark feedback missing (services.nudges), and invite to the survey rounds
  that are open (services.surveys.planning);
- `digest_tick`: if this instance is the leader, write the weekly digests due now
  (services.digest.planning), every minute so a digest comes at its minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from dataclasses import dataclass

from aiogram import Bot
from aiogram.utils.i18n import I18n
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from scheduler.leader import Leader, create_leader
from scheduler.sender import Sender
from services import nudges
from services.clock import Clock, SystemClock

log = logging.getLogger(__name__)

DISPATCH_EVERY = 2.0  # seconds
PLAN_EVERY = 300.0
DIGEST_EVERY = 60.0
# How long one round of sending lasts before leadership is renewed.
ROUND_SECONDS = 10.0


async def dispatch_tick(
    leader: Leader, sender: Sender, *, round_seconds: float = ROUND_SECONDS
) -> int:
    """Send due rows while this instance leads; returns how many were sent. A backlog is
    sent in rounds, renewing leadership between them."""
    sent = 0
    while await leader.acquire():
        report = await sender.run_once(max_seconds=round_seconds)
        sent += report.sent
        if not report.more or sender.stopping:
            break
    return sent


@dataclass(frozen=True)
class PlanResult:
    planned: int
    missing: int
    invited: int = 0  # survey invitations


async def planning_tick(
    leader: Leader, sessionmaker: async_sessionmaker[AsyncSession], clock: Clock
) -> PlanResult | None:
    """Plan nudges and mark missing feedback; None when not the leader."""
    if not await leader.acquire():
        return None
    now = clock.now()
    async with sessionmaker() as session:
        planned = int(await nudges.plan(session, now))
        await session.commit()
    async with sessionmaker() as session:
        missing = int(await nudges.mark_missing(session, now))
        await session.commit()
    from services.surveys import planning as surveys

    async with sessionmaker() as session:
        invited = await surveys.plan(session, now)
    from services.club import reminders as club_reminders

    async with sessionmaker() as session:
        planned += await club_reminders.plan(session, now)
    from services.club import membership as club_membership

    async with sessionmaker() as session:
        planned += await club_membership.plan_invites(session, now)
    from services import portfolio

    async with sessionmaker() as session:
        planned += await portfolio.plan_completion_documents(session, now)
    from services.pairs import proposals

    async with sessionmaker() as session:
        # Unanswered proposals to mentors: reminded, then returned to the curator.
        await proposals.tick(session, now)
    from services.pairs import early_end

    async with sessionmaker() as session:
        # Early endings whose notice ran out: the pairs end today.
        await early_end.tick(session, now)
    from services import hours

    async with sessionmaker() as session:
        # Last month's hours table to curators and coordinators on the 1st.
        await hours.plan_monthly(session, now)
    from services.pairs import addenda

    async with sessionmaker() as session:
        # Addenda whose period ends in two weeks: the curator and both sides are told.
        await addenda.period_tick(session, now)
    if planned or missing or invited:
        log.info(
            "planning: %s outbox rows planned, %s feedback marked missing, %s survey invitations",
            planned,
            missing,
            invited,
        )
    return PlanResult(planned, missing, invited)


async def digest_tick(
    leader: Leader, sessionmaker: async_sessionmaker[AsyncSession], clock: Clock
) -> int | None:
    """Write the digests due now; None when not the leader."""
    if not await leader.acquire():
        return None
    from services.digest import planning as digests

    async with sessionmaker() as session:
        added = await digests.plan(session, clock.now())
    if added:
        log.info("digests: %s planned", added)
    return added


class Scheduler:
    """The scheduler of one bot process: every instance ticks, only the leader sends."""

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        sessionmaker: async_sessionmaker[AsyncSession],
        bot: Bot,
        i18n: I18n,
        settings: Settings,
        clock: Clock | None = None,
        leader: Leader | None = None,
        dispatch_every: float = DISPATCH_EVERY,
        plan_every: float = PLAN_EVERY,
    ) -> None:
        self.clock = clock or SystemClock()
        self.sessionmaker = sessionmaker
        self.leader = leader or create_leader(engine, sessionmaker, self.clock)
        self.sender = Sender(
            sessionmaker,
            bot,
            i18n,
            self.clock,
            rate=settings.send_rate,
            per_chat_interval=settings.send_per_chat_interval,
            in_flight=settings.send_in_flight,
            admin_ids=settings.admin_ids,
            panel_url=settings.webapp_url,
        )
        self.dispatch_every = dispatch_every
        self.plan_every = plan_every
        self._aps = AsyncIOScheduler(timezone="UTC")
        self._dispatching = asyncio.Lock()
        self._planning = asyncio.Lock()
        self._digesting = asyncio.Lock()

    @property
    def running(self) -> bool:
        return bool(self._aps.running)

    def start(self) -> None:
        common = {"trigger": "interval", "coalesce": True, "misfire_grace_time": 60}
        # max_instances=2 with our own busy check: a tick during a long send returns at
        # once instead of APScheduler warning that it skipped one.
        self._aps.add_job(
            self.dispatch,
            id="dispatch",
            seconds=self.dispatch_every,
            max_instances=2,
            next_run_time=dt.datetime.now(dt.UTC),  # a backlog goes out right after a restart
            **common,
        )
        self._aps.add_job(self.plan, id="plan", seconds=self.plan_every, max_instances=2, **common)
        self._aps.add_job(
            self.digests, id="digests", seconds=DIGEST_EVERY, max_instances=2, **common
        )
        self._aps.start()
        log.info("scheduler started")

    async def dispatch(self) -> None:
        if self._dispatching.locked():
            return
        async with self._dispatching:
            try:
                await dispatch_tick(self.leader, self.sender)
            except Exception:
                log.exception("dispatch tick failed")

    async def plan(self) -> None:
        if self._planning.locked():
            return
        async with self._planning:
            try:
                await planning_tick(self.leader, self.sessionmaker, self.clock)
            except Exception:
                log.exception("planning tick failed")

    async def digests(self) -> None:
        if self._digesting.locked():
            return
        async with self._digesting:
            try:
                await digest_tick(self.leader, self.sessionmaker, self.clock)
            except Exception:
                log.exception("digest tick failed")

    async def shutdown(self, *, grace: float = 20.0) -> None:
        """Stop ticking, let the messages in flight be sent and recorded, give up leadership.
        (APScheduler's own shutdown cancels running jobs: it comes last.)"""
        if self._aps.running:
            self._aps.pause()
        self.sender.stop()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(grace), self._dispatching, self._planning, self._digesting:
                pass
        if self._aps.running:
            self._aps.shutdown(wait=False)
        await self.leader.release()
        log.info("scheduler stopped")
