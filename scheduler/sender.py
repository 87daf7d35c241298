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
- Exactly one message is in flight at a time, and each row is marked SENT before the
  next send starts: a process killed mid-batch duplicates at most the one message whose
  answer it did not get to record, and loses nothing (its claimed rows come back when
  the lease runs out).
- The Telegram id is looked up at send time (a row holds the participant id only); a
  person who has been erased gets nothing: the row is cancelled.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

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
from bot.ui import commands
from bot.ui.notices import Notice, Renderer, renderers
from models import Outbox, OutboxStatus, Participant, ParticipantStatus
from scheduler.pacing import ChatPacer, Monotonic, TokenBucket
from services import outbox_claims
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
        lease: dt.timedelta = dt.timedelta(minutes=2),
        max_attempts: int = 8,
        backoff: dt.timedelta = dt.timedelta(seconds=5),
        backoff_cap: dt.timedelta = dt.timedelta(minutes=10),
        transient_pause: float = 1.0,
        request_timeout: int = 15,
        monotonic: Monotonic = time.monotonic,
        admin_ids: Iterable[int] = (),
    ) -> None:
        self.sessionmaker = sessionmaker
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
        """Finish the message in flight and return from run_once (for shutdown)."""
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    async def run_once(
        self, *, limit: int | None = None, max_seconds: float | None = None
    ) -> SendReport:
        """Claim and send due rows, batch after batch, until none is due, `limit` rows
        were handled, `max_seconds` passed, or stop() was called."""
        report = SendReport()
        deadline = None if max_seconds is None else self._monotonic() + max_seconds
        async with self._running:
            with self.i18n.context():
                while True:
                    now = self._monotonic()
                    if self._stopping.is_set() or (deadline is not None and now >= deadline):
                        report.more = True
                        break
                    if self._paused_until > now:
                        # Claim nothing during a pause: the lease would run while waiting.
                        end = (
                            self._paused_until
                            if deadline is None
                            else min(self._paused_until, deadline)
                        )
                        await self._sleep(end - now)
                        continue
                    size = self.batch_size
                    if limit is not None:
                        if report.handled >= limit:
                            report.more = True
                            break
                        size = min(size, limit - report.handled)
                    holder = uuid.uuid4().hex
                    async with self.sessionmaker() as session:
                        batch = await outbox_claims.claim_due(
                            session,
                            now=self.clock.now(),
                            holder=holder,
                            lease=self.lease,
                            limit=size,
                        )
                    if not batch:
                        break
                    await self._send_batch(batch, holder, report)
        return report

    # --- a batch ---------------------------------------------------------------------
    async def _send_batch(self, batch: list[Claimed], holder: str, report: SendReport) -> None:
        # Stop well before the lease runs out: past it, another sender may take the rows.
        lease_ends = self._monotonic() + self.lease.total_seconds() * 0.8
        waiting = list(batch)
        # One session (and pooled connection) for the batch; each row ends its transaction.
        async with self.sessionmaker() as session:
            while waiting and not self._stopping.is_set():
                # The row whose chat is free first (ties keep the claim's due order).
                row = min(waiting, key=lambda r: self.chats.ready_at(r.recipient_id))
                if not await self._wait_turn(row.recipient_id, lease_ends):
                    break
                try:
                    done = await self._send_row(session, row, holder, report)
                finally:
                    if session.in_transaction():
                        await session.rollback()
                if done:
                    waiting.remove(row)
            if waiting:
                await outbox_claims.release(session, [r.id for r in waiting], holder)

    async def _wait_turn(self, chat: int, lease_ends: float) -> bool:
        """Wait for a pause to end, the chat's turn and a token; False to give up the batch."""
        while True:
            now = self._monotonic()
            until = max(self._paused_until, self.chats.ready_at(chat))
            if self.bucket is not None:
                until = max(until, now + self.bucket.delay())
            if until > lease_ends:
                return False
            if until <= now:
                break
            if await self._sleep(until - now):
                return False
        if self.bucket is not None:
            self.bucket.take()
        return True

    async def _sleep(self, seconds: float) -> bool:
        """Sleep unless stopped; True if stop() was called."""
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        except TimeoutError:
            return False
        return True

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
        # The read transaction stays open over the send (no row is locked): one round
        # trip less per message, and the pace needs every millisecond.
        try:
            await self._deliver(chat_id, notice)
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
        except TelegramForbiddenError:
            self.chats.sent(claimed.recipient_id)
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
            await self._fail(session, claimed, kind, _name(exc), report)
            return True
        self.chats.sent(claimed.recipient_id)
        self._transient_streak = 0
        if blocked:
            await outbox_claims.recipient_reachable(session, claimed.recipient_id)
        if notice.sync_menu:
            await self._sync_menu(session, claimed.recipient_id, chat_id)
        await outbox_claims.mark_sent(session, claimed.id, self.clock.now())
        report.sent += 1
        return True

    async def _sync_menu(self, session: AsyncSession, participant_id: int, chat_id: int) -> None:
        person = await session.get(Participant, participant_id, populate_existing=True)
        actor = Actor.of(chat_id, person, is_admin=chat_id in self.admin_ids)
        with sender_handles_retries():  # a failure only leaves a stale menu
            await commands.sync(self.bot, chat_id, actor)

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
