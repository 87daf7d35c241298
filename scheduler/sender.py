"""The outbox sender: sends due rows within Telegram's limits and records the outcome.

- A global token bucket (Settings.send_rate, at most 30/s) and one message per
  Settings.send_per_chat_interval per chat. A row whose chat must still wait lets the
  other rows of its batch go first.
- ``TelegramRetryAfter`` pauses every send for retry_after; the row is tried again.
- ``TelegramForbiddenError``: the person blocked the bot; they are marked and all their
  pending rows are cancelled.
- 5xx, network errors and timeouts: the row is tried again later with exponential
  backoff, up to a cap of attempts, then it is FAILED; sends also pause briefly, so an
  outage is not hammered. Other API errors (400: chat not found, too long) fail at once;
  a refused bot token (401) fails no row: sending pauses.
  Only the exception's class name is kept (last_error, logs): never a text or a name.
- Up to `in_flight` messages are on their way at once (Settings.send_in_flight, 4 by
  default): with Telegram's ~60 ms round trip one at a time would reach only ~15/s.
  A chat never has two: a claim takes one row per recipient and none of a recipient
  whose row is leased (waiting or in flight), so a person's messages stay in order, one
  per interval. Each row is marked SENT as soon as its answer comes: a process killed
  mid-batch duplicates at most the `in_flight` messages whose answers it did not get to
  record, and loses nothing (its claimed rows come back when the lease runs out). No
  database connection is held while Telegram answers.
- The Telegram id is looked up at send time (a row holds the participant id only); a
  person who has been erased gets nothing: the row is cancelled.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import logging
import math
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import BufferedInputFile
from aiogram.utils.i18n import I18n
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.outgoing import sender_handles_retries
from bot.ui import commands, panel
from bot.ui.notices import Notice, Renderer, renderers
from models import Outbox, OutboxStatus, Participant, ParticipantStatus
from scheduler.pacing import ChatPacer, Monotonic, TokenBucket
from services import outbox, outbox_claims
from services.access import Actor
from services.clock import Clock
from services.outbox_claims import Claimed

log = logging.getLogger(__name__)

TRANSIENT = (TelegramServerError, TelegramNetworkError, TimeoutError)
TELEGRAM_LIMIT = 30  # messages per second to different chats


@dataclass
class SendReport:
    sent: int = 0
    cancelled: int = 0
    failed: int = 0
    retried: int = 0  # put back with a backoff after a transient error
    rate_limited: int = 0  # 429 answers
    more: bool = False  # stopped early (budget, limit, stop): due rows may be left

    @property
    def handled(self) -> int:
        return self.sent + self.cancelled + self.failed + self.retried


class _Turn(enum.Enum):
    GO = "go"
    STOPPED = "stopped"
    LEASE = "lease"  # the row's turn would come after its lease runs out


@dataclass
class _Waiting:
    row: Claimed
    lease_ends: float  # monotonic seconds


@dataclass
class _Run:
    holder: str
    report: SendReport
    waiting: list[_Waiting] = field(default_factory=list)
    flying: dict[asyncio.Task[bool], _Waiting] = field(default_factory=dict)
    dry: bool = False  # the last claim found fewer due rows than it asked for


class Sender:
    """Sends due outbox rows. One instance per process; `run_once` is not reentrant."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        bot: Bot,
        i18n: I18n,
        clock: Clock,
        *,
        rate: float | None = 25.0,
        per_chat_interval: float = 1.0,
        renderer_table: Mapping[str, Renderer] | None = None,
        batch_size: int | None = None,
        in_flight: int = 1,
        lease: dt.timedelta = dt.timedelta(minutes=2),
        max_attempts: int = 8,
        backoff: dt.timedelta = dt.timedelta(seconds=5),
        backoff_cap: dt.timedelta = dt.timedelta(minutes=10),
        transient_pause: float = 1.0,
        request_timeout: int = 15,
        monotonic: Monotonic = time.monotonic,
        admin_ids: Iterable[int] = (),
        panel_url: str | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.panel_url = panel_url  # WEBAPP_URL: «📊 Панель» under the notices that ask for it
        self.admin_ids = frozenset(admin_ids)  # for the menus of admins who are participants
        self.bot = bot
        self.i18n = i18n
        self.clock = clock
        self.renderers: Mapping[str, Renderer] = (
            renderer_table if renderer_table is not None else renderers()
        )
        self.bucket = None
        if rate:
            # Half an interval of tolerance keeps the pace despite late wake-ups; it lets
            # rate + 1 into one second, so only while that stays within Telegram's 30.
            burst = 1.5 if rate + 1 <= TELEGRAM_LIMIT else 1.0
            self.bucket = TokenBucket(rate, burst=burst, monotonic=monotonic)
        self.chats = ChatPacer(per_chat_interval, monotonic=monotonic)
        # A batch lasts about two seconds of sending: long enough that a chat's pause is
        # over before its next row comes up, short enough to pick up new rows soon.
        self.batch_size = batch_size or (max(10, math.ceil(rate * 2)) if rate else 100)
        if in_flight < 1:
            raise ValueError("in_flight must be at least 1")
        # Messages on their way at once. One is enough while rate × round trip < 1 (25/s
        # with a 30 ms round trip); Telegram's usual 60 ms needs two. It is also the most
        # a crash can duplicate: sent, but their answers never recorded.
        self.in_flight = in_flight
        self.lease = lease
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.backoff_cap = backoff_cap
        self.transient_pause = transient_pause
        self.request_timeout = request_timeout
        self._monotonic = monotonic
        self._paused_until = 0.0
        self._transient_streak = 0
        self._stopping = asyncio.Event()
        self._running = asyncio.Lock()

    def stop(self) -> None:
        """Finish the messages in flight and return from run_once (for shutdown)."""
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    async def run_once(
        self, *, limit: int | None = None, max_seconds: float | None = None
    ) -> SendReport:
        """Claim and send due rows until none is due, `limit` rows were handled,
        `max_seconds` passed, or stop() was called. Up to `in_flight` messages are on
        their way at once; rows are claimed again whenever few are left waiting."""
        report = SendReport()
        deadline = None if max_seconds is None else self._monotonic() + max_seconds
        async with self._running:
            with self.i18n.context():
                run = _Run(uuid.uuid4().hex, report)
                try:
                    await self._pump(run, limit, deadline)
                except Exception:
                    await self._finish(run)  # what is in flight is still recorded
                    raise
                except BaseException:
                    # Died or cancelled: the answers of the messages in flight are never
                    # recorded (those rows come back when their lease runs out).
                    for task in run.flying:
                        task.cancel()
                    await asyncio.gather(*run.flying, return_exceptions=True)
                    raise
                # Stopped or done: the messages in flight are answered and recorded, and
                # the rows not tried are given back at once.
                failure = await self._finish(run)
                if failure is not None:
                    raise failure
        return report

    async def _pump(self, run: _Run, limit: int | None, deadline: float | None) -> None:
        report = run.report
        while True:
            await self._collect(run, wait=False)
            now = self._monotonic()
            if self._stopping.is_set() or (deadline is not None and now >= deadline):
                report.more = True
                return
            budget = None
            if limit is not None:
                budget = limit - report.handled - len(run.flying) - len(run.waiting)
                if budget <= 0 and not run.waiting:
                    if not run.flying:
                        report.more = report.handled >= limit
                        return
                    await self._collect(run, wait=True)
                    continue
            if self._paused_until > now:
                # Claim and start nothing during a pause; give back the rows whose lease
                # would run out before it ends.
                await self._release_expiring(run, self._paused_until)
                end = self._paused_until if deadline is None else min(self._paused_until, deadline)
                await self._sleep(end - now)
                continue
            # Claim more while few rows are left waiting. After a short claim (dry) only
            # once the run has drained: every chat of it is free again, so a new claim
            # finds their next rows instead of coming back short, one query at a time.
            drained = not run.waiting and not run.flying
            if len(run.waiting) <= self.in_flight and (not run.dry or drained):
                size = self.batch_size - len(run.waiting)
                if budget is not None:
                    size = min(size, budget)
                if size > 0:
                    await self._claim(run, size)
            if not run.waiting:
                if not run.flying:
                    return  # nothing due and nothing on its way
                await self._collect(run, wait=True)
                continue
            if len(run.flying) >= self.in_flight:
                await self._collect(run, wait=True)
                continue
            # The row whose chat is free first (ties keep the claim's due order).
            item = min(run.waiting, key=lambda w: self.chats.ready_at(w.row.recipient_id))
            turn = await self._wait_turn(item.row.recipient_id, item.lease_ends)
            if turn is _Turn.STOPPED:
                continue  # the top of the loop tells stop() from a deadline
            if turn is _Turn.LEASE:
                run.waiting.remove(item)
                await self._release(run.holder, [item.row])
                continue
            run.waiting.remove(item)
            task = asyncio.create_task(self._send_one(item.row, run.holder, report))
            run.flying[task] = item

    async def _claim(self, run: _Run, size: int) -> None:
        async with self.sessionmaker() as session:
            batch = await outbox_claims.claim_due(
                session,
                now=self.clock.now(),
                holder=run.holder,
                lease=self.lease,
                limit=size,
            )
        # Stop well before the lease runs out: past it, another sender may take the rows.
        lease_ends = self._monotonic() + self.lease.total_seconds() * 0.8
        run.waiting.extend(_Waiting(row, lease_ends) for row in batch)
        run.dry = len(batch) < size

    async def _collect(self, run: _Run, *, wait: bool) -> None:
        """Take in the messages that were answered (waiting for one if `wait`). A row that
        must be tried again (429) goes back to the waiting rows; an error other than
        Telegram's is raised."""
        if wait and run.flying:
            await asyncio.wait(run.flying, return_when=asyncio.FIRST_COMPLETED)
        failure = self._take_done(run)
        if failure is not None:
            raise failure

    def _take_done(self, run: _Run) -> BaseException | None:
        failure: BaseException | None = None
        for task in [t for t in run.flying if t.done()]:
            item = run.flying.pop(task)
            run.dry = False  # a chat got free: its next row may be claimed now
            if task.cancelled():
                continue
            exc = task.exception()
            if exc is not None:
                failure = failure or exc
            elif not task.result():
                run.waiting.append(item)
        return failure

    async def _finish(self, run: _Run) -> BaseException | None:
        """Wait for every message in flight to be recorded, give back the rows not tried;
        the first error a send raised, if any."""
        failure: BaseException | None = None
        while run.flying:
            await asyncio.wait(run.flying)
            failure = failure or self._take_done(run)
        await self._release(run.holder, [w.row for w in run.waiting])
        run.waiting.clear()
        return failure

    async def _release(self, holder: str, rows: list[Claimed]) -> None:
        if rows:
            async with self.sessionmaker() as session:
                await outbox_claims.release(session, [r.id for r in rows], holder)

    async def _release_expiring(self, run: _Run, until: float) -> None:
        expiring = [w for w in run.waiting if w.lease_ends < until]
        for item in expiring:
            run.waiting.remove(item)
        await self._release(run.holder, [w.row for w in expiring])

    async def _wait_turn(self, chat: int, lease_ends: float) -> _Turn:
        """Wait for a pause to end, the chat's turn and a token."""
        while True:
            now = self._monotonic()
            until = max(self._paused_until, self.chats.ready_at(chat))
            if self.bucket is not None:
                until = max(until, now + self.bucket.delay())
            if until > lease_ends:
                return _Turn.LEASE
            if until <= now:
                break
            if await self._sleep(until - now):
                return _Turn.STOPPED
        if self.bucket is not None:
            self.bucket.take()
        return _Turn.GO

    async def _sleep(self, seconds: float) -> bool:
        """Sleep unless stopped; True if stop() was called."""
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        except TimeoutError:
            return False
        return True

    async def _send_one(self, row: Claimed, holder: str, report: SendReport) -> bool:
        # A session of its own: several rows are on their way at once.
        async with self.sessionmaker() as session:
            try:
                return await self._send_row(session, row, holder, report)
            finally:
                if session.in_transaction():
                    await session.rollback()

    # --- one row ---------------------------------------------------------------------
    async def _send_row(
        self, session: AsyncSession, claimed: Claimed, holder: str, report: SendReport
    ) -> bool:
        """Try one row; False if it stays in the batch (429: tried again after the pause).
        Every way out commits what it recorded, or leaves the caller to roll back."""
        found = (
            await session.execute(
                select(Outbox, Participant.telegram_id, Participant.status, Participant.blocked_bot)
                .outerjoin(Participant, Participant.id == Outbox.recipient_id)
                .where(Outbox.id == claimed.id)
                .execution_options(populate_existing=True)
            )
        ).first()
        if found is None:
            return True
        row, chat_id, person_status, blocked = found
        if row.status != OutboxStatus.PENDING or row.claimed_by != holder:
            return True  # cancelled meanwhile, or no longer ours
        if chat_id is None or person_status == ParticipantStatus.LEFT:
            await outbox_claims.cancel(session, row.id)  # the person was erased
            report.cancelled += 1
            return True
        render = self.renderers.get(row.kind)
        if render is None:
            log.error("outbox row %s: no renderer for kind %s", row.id, row.kind)
            await outbox_claims.fail(session, row.id, "NoRenderer")
            report.failed += 1
            return True
        kind = row.kind
        try:
            notice = await render(session, row)
        except Exception as exc:
            log.error("outbox row %s (%s): renderer failed: %s", claimed.id, kind, _name(exc))
            await session.rollback()
            await self._retry_or_fail(session, claimed, holder, _name(exc), report)
            return True
        if notice is None:
            await outbox_claims.cancel(session, claimed.id)
            report.cancelled += 1
            return True
        if notice.panel_button and self.panel_url:
            notice = replace(
                notice, reply_markup=panel.with_button(notice.reply_markup, self.panel_url)
            )
        # No connection is held while Telegram answers (several messages are on their
        # way at once); the outcome is recorded in a transaction of its own.
        payload, dedupe_key = dict(row.payload), row.dedupe_key
        await session.commit()
        try:
            await self._deliver(notice.to_chat if notice.to_chat is not None else chat_id, notice)
        except TelegramRetryAfter as exc:
            self.chats.sent(claimed.recipient_id)
            self._paused_until = max(self._paused_until, self._monotonic() + exc.retry_after)
            report.rate_limited += 1
            log.warning("429 from Telegram: all sends pause for %s s", exc.retry_after)
            return False
        except TelegramUnauthorizedError:
            # The bot's token is wrong or revoked: no row is at fault, none is marked.
            log.error("Telegram refused the bot token: sending paused for a minute")
            self._paused_until = self._monotonic() + 60
            return False
        except TelegramForbiddenError as exc:
            self.chats.sent(claimed.recipient_id)
            if notice.to_chat is not None:
                await self._refused(session, claimed, notice, payload, dedupe_key, exc, report)
                return True
            await outbox_claims.recipient_blocked(session, claimed.id, claimed.recipient_id)
            log.info("outbox row %s (%s): the recipient blocked the bot", claimed.id, kind)
            report.cancelled += 1
            return True
        except TelegramEntityTooLarge as exc:  # a network error by class, but final
            self.chats.sent(claimed.recipient_id)
            await self._fail(session, claimed, kind, _name(exc), report)
            return True
        except TRANSIENT as exc:
            self.chats.sent(claimed.recipient_id)
            self._transient_streak += 1
            pause = min(30.0, self.transient_pause * 2 ** (self._transient_streak - 1))
            self._paused_until = max(self._paused_until, self._monotonic() + pause)
            await self._retry_or_fail(session, claimed, holder, _name(exc), report)
            return True
        except TelegramAPIError as exc:
            self.chats.sent(claimed.recipient_id)
            if notice.to_chat is not None:
                await self._refused(session, claimed, notice, payload, dedupe_key, exc, report)
                return True
            await self._fail(session, claimed, kind, _name(exc), report)
            return True
        self.chats.sent(claimed.recipient_id)
        self._transient_streak = 0
        if blocked:
            await outbox_claims.recipient_reachable(session, claimed.recipient_id)
        if notice.sync_menu:
            await self._sync_menu(session, claimed.recipient_id, chat_id)
        elif notice.panel_button and self.panel_url:
            # Staff who were staff before the panel existed get its menu button this way.
            await self._sync_panel_menu(session, claimed.recipient_id, chat_id)
        await outbox_claims.mark_sent(session, claimed.id, self.clock.now())
        report.sent += 1
        return True

    async def _refused(
        self,
        session: AsyncSession,
        claimed: Claimed,
        notice: Notice,
        payload: dict[str, Any],
        dedupe_key: str,
        exc: BaseException,
        report: SendReport,
    ) -> None:
        """Another chat (a channel) refused the message: the row fails and its
        recipient is told why, through a row of their own."""
        if notice.refused_kind is not None:
            now = self.clock.now()
            await outbox.enqueue(
                session,
                recipient_id=claimed.recipient_id,
                kind=notice.refused_kind,
                due_at=now,
                now=now,
                dedupe_key=f"{dedupe_key}:refused"[:120],
                payload={**payload, "error": _name(exc)},
            )
        await self._fail(session, claimed, "channel", _name(exc), report)

    async def _sync_menu(self, session: AsyncSession, participant_id: int, chat_id: int) -> None:
        person = await session.get(Participant, participant_id, populate_existing=True)
        actor = Actor.of(chat_id, person, is_admin=chat_id in self.admin_ids)
        with sender_handles_retries():  # a failure only leaves a stale menu
            await commands.sync(self.bot, chat_id, actor, self.panel_url)

    async def _sync_panel_menu(
        self, session: AsyncSession, participant_id: int, chat_id: int
    ) -> None:
        person = await session.get(Participant, participant_id, populate_existing=True)
        actor = Actor.of(chat_id, person, is_admin=chat_id in self.admin_ids)
        with sender_handles_retries():
            await panel.set_menu(self.bot, chat_id, actor, self.panel_url)

    async def _deliver(self, chat_id: int, notice: Notice) -> None:
        await send_notice(self.bot, chat_id, notice, request_timeout=self.request_timeout)

    async def _fail(
        self, session: AsyncSession, claimed: Claimed, kind: str, error: str, report: SendReport
    ) -> None:
        log.warning("outbox row %s (%s) failed: %s", claimed.id, kind, error)
        await outbox_claims.fail(session, claimed.id, error)
        report.failed += 1

    async def _retry_or_fail(
        self, session: AsyncSession, claimed: Claimed, holder: str, error: str, report: SendReport
    ) -> None:
        attempt = claimed.attempts + 1
        if attempt >= self.max_attempts:
            log.warning("outbox row %s failed after %s attempts: %s", claimed.id, attempt, error)
            await outbox_claims.fail(session, claimed.id, error)
            report.failed += 1
            return
        delay = min(self.backoff * 2 ** (attempt - 1), self.backoff_cap)
        log.info("outbox row %s: %s, attempt %s, again in %s", claimed.id, error, attempt, delay)
        await outbox_claims.retry_later(
            session, claimed.id, holder, due_at=self.clock.now() + delay, error=error
        )
        report.retried += 1


def _name(exc: BaseException) -> str:
    return type(exc).__name__


async def send_notice(
    bot: Bot, chat_id: int, notice: Notice, *, request_timeout: int | None = None
) -> None:
    # The sender retries in its own way (a 429 pauses every send), not per request.
    with sender_handles_retries():
        await _send(bot, chat_id, notice, request_timeout)


async def _send(bot: Bot, chat_id: int, notice: Notice, request_timeout: int | None) -> None:
    # Parts of one notice go one after another; a retry after a failure half-way may
    # repeat the parts already sent (the row is marked sent only after the last one).
    if notice.photo is not None:
        filename, content = notice.photo
        await bot.send_photo(
            chat_id,
            BufferedInputFile(content, filename=filename),
            caption=notice.photo_caption,
            request_timeout=request_timeout,
        )
    if notice.document is not None:
        filename, content = notice.document
        await bot.send_document(
            chat_id,
            BufferedInputFile(content, filename=filename),
            caption=notice.text or None,
            reply_markup=notice.reply_markup,
            request_timeout=request_timeout,
        )
    elif notice.photo_id is not None:
        await bot.send_photo(
            chat_id,
            notice.photo_id,
            caption=notice.text or None,
            reply_markup=notice.reply_markup,
            request_timeout=request_timeout,
        )
    elif notice.document_id is not None:
        await bot.send_document(
            chat_id,
            notice.document_id,
            caption=notice.text or None,
            reply_markup=notice.reply_markup,
            request_timeout=request_timeout,
        )
    else:
        await bot.send_message(
            chat_id,
            notice.text,
            reply_markup=notice.reply_markup,
            request_timeout=request_timeout,
        )
    if notice.attachment is not None:
        filename, content = notice.attachment
        await bot.send_document(
            chat_id,
            BufferedInputFile(content, filename=filename),
            caption=notice.attachment_caption,
            request_timeout=request_timeout,
        )
