"""The weekly digest through the scheduler's tick, the outbox and the fake Bot API: it
comes at 08:30 in the recipient's own zone (Novosibirsk before Moscow), once a day
however often the tick runs, late the same day if the bot was down, never the next
day; worst first, with the chart as a photo and buttons to the pair cards; a
coordinator's covers their municipality only; settings changed and off; the export in
December once; /digest on demand; a quiet week in one line; teachers refused."""

from __future__ import annotations

import datetime as dt
import io

from aiogram import Dispatcher
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MeetingKind, MeetingStatus, Outbox, PairMember, Role, RoleGrant, School
from services.clock import FixedClock
from services.digest import planning
from tests import arrange
from tests.arrange import digest as w
from tests.arrange import surveys as sv
from tests.fakes.bot_api import BotMessage, FakeBotAPI
from tests.fakes.client import Deliver, PersonFactory

NSK_CURATOR, LYCEUM_CURATOR = 104, 105
ZAITSEV, OREKHOVA, GROMOV, LAPINA = 311, 211, 312, 212


def utc(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC)


async def _troubles(db: AsyncSession, world: w.World) -> None:
    """School A also has a stalled pair and a pair whose mentee said «не подходит» after
    this week's trial meeting, rating it 2."""
    zaitsev = await arrange.mentor(db, ZAITSEV, "Зайцев Олег Юрьевич", world.a)
    orekhova = await arrange.mentee(db, OREKHOVA, "Орехова Дарья Сергеевна", world.a)
    stalled = await arrange.pair(
        db, zaitsev, [orekhova], formed_at=utc(1, 9, month=10), next_kind=MeetingKind.TRIAL
    )
    await arrange.meeting(
        db, stalled, MeetingKind.INTRO, utc(5, 9, month=10), status=MeetingStatus.HELD
    )
    gromov = await arrange.mentor(db, GROMOV, "Громов Артём Ильич", world.a)
    lapina = await arrange.mentee(db, LAPINA, "Лапина Ксения Юрьевна", world.a)
    unhappy = await arrange.pair(
        db,
        gromov,
        [lapina],
        formed_at=utc(2, 9),
        next_kind=MeetingKind.PLANNING,
        order=("51-од", dt.date(2026, 11, 2)),
    )
    await arrange.meeting(db, unhappy, MeetingKind.INTRO, utc(9, 9), status=MeetingStatus.HELD)
    trial = await arrange.meeting(
        db, unhappy, MeetingKind.TRIAL, utc(18, 12), status=MeetingStatus.HELD
    )
    await arrange.feedback(db, trial, lapina, rating=2, hard="Не совпадаем по предмету")
    member = await db.scalar(select(PairMember).where(PairMember.mentee_id == lapina.id))
    assert member is not None
    member.fit = False
    await db.commit()


async def _rows(db: AsyncSession) -> list[tuple[int, str]]:
    rows = await db.execute(
        select(Outbox.recipient_id, Outbox.dedupe_key)
        .where(Outbox.kind == "digest.weekly")
        .order_by(Outbox.id)
    )
    return [(r, k) for r, k in rows]


async def _plan(db: AsyncSession, clock: FixedClock, at: dt.datetime) -> int:
    clock.at = at
    return await planning.plan(db, at)


def _chat(api: FakeBotAPI, user_id: int) -> list[BotMessage]:
    return api.chat(user_id)


async def test_at_0830_local_novosibirsk_first_then_moscow_once_a_day(
    db: AsyncSession, clock: FixedClock, deliver: Deliver, fake_api: FakeBotAPI, dp: Dispatcher
) -> None:
    world = await w.world(db)
    nsk = await arrange.municipality_other(db)
    nsk_school = (await db.scalars(select(School).where(School.municipality_id == nsk.id))).one()
    nsk_curator = await arrange.staff(
        db, NSK_CURATOR, "Ким Ирина Олеговна", Role.CURATOR, school=nsk_school
    )

    # Monday 23 November. 08:29 in Novosibirsk (UTC+7) is 01:29 UTC.
    assert await _plan(db, clock, utc(23, 1, 29)) == 0
    assert await _plan(db, clock, utc(23, 1, 30)) == 1
    assert await _rows(db) == [(nsk_curator.id, f"digest:{nsk_curator.id}:2026-11-23")]
    assert await deliver() == 1
    nsk_text = _chat(fake_api, NSK_CURATOR)[-1].text
    assert "<b>МАОУ «Школа № 7»</b>" in nsk_text
    assert "Не введена численность педагогов на 2026/2027" in nsk_text
    assert _chat(fake_api, w.CURATOR_A) == []
    # Moscow's 08:30 is 05:30 UTC: its two curators and the coordinator, nobody twice.
    assert await _plan(db, clock, utc(23, 5, 29)) == 0
    assert await _plan(db, clock, utc(23, 5, 30)) == 3
    assert await _plan(db, clock, utc(23, 5, 31)) == 0
    assert await _plan(db, clock, utc(23, 16, 0)) == 0
    recipients = [r for r, _ in await _rows(db)]
    assert sorted(recipients) == sorted(
        [nsk_curator.id, world.curator_a.id, world.curator_b.id, world.coordinator.id]
    )
    assert await deliver() == 3
    assert [m.kind for m in _chat(fake_api, w.CURATOR_A)] == ["photo", "text"]
    # The next Monday, once more each.
    assert await _plan(db, clock, utc(30, 5, 30)) == 4


async def test_a_digest_missed_while_down_comes_the_same_day_never_the_next(
    db: AsyncSession, clock: FixedClock
) -> None:
    world = await w.world(db)
    # The bot was down from Monday morning; it comes back at 20:00 Moscow time.
    assert await _plan(db, clock, utc(23, 17, 0)) == 3
    # Down all of the next Monday: Tuesday brings nothing for it.
    assert await _plan(db, clock, utc(30, 21, 1)) == 0  # 00:01 Tuesday in Moscow
    keys = [k for _, k in await _rows(db)]
    assert f"digest:{world.curator_a.id}:2026-11-23" in keys
    assert not any(k.endswith("2026-11-30") or k.endswith("2026-12-01") for k in keys)


async def test_curator_digest_worst_first_with_the_chart_and_pair_buttons(
    db: AsyncSession, clock: FixedClock, deliver: Deliver, person: PersonFactory
) -> None:
    world = await w.world(db)
    await _troubles(db, world)
    await _plan(db, clock, utc(23, 5, 30))
    await deliver()
    curator = person("Анна", user_id=w.CURATOR_A)
    photo, message = curator.api.chat(w.CURATOR_A)

    assert photo.kind == "photo"
    assert photo.content is not None and photo.content.startswith(b"\xff\xd8")  # a JPEG
    assert photo.filename == "digest_2026-11-23.jpg"
    assert photo.text == "📈 МБОУ «Средняя школа № 12»: встречи по неделям и показатели"
    text = message.text
    assert text.startswith(
        "📋 <b>Сводка за неделю</b> · 16–22 ноября\n<b>МБОУ «Средняя школа № 12»</b>"
    )
    expected_order = [
        "<b>Что требует внимания</b>",
        "🔴 <b>Застой: 1</b>\n• Зайцев О. Ю. — Орехова Д. С.: нет встреч 48 дн.; "
        "этап «пробная встреча» 52 дн.",
        "🟠 <b>Нужно внимание: 1</b>\n• Громов А. И. — Лапина К. Ю.: «не подходит»",
        "⭐ <b>Низкие оценки за неделю: 1</b>\n"
        "• Громов А. И. — Лапина К. Ю.: 2 из 5 (оценил наставляемый)",
        "🤝 <b>«Не подходит» после пробной встречи:</b> Громов А. И. — Лапина К. Ю.",
        "👤 Без наставника: <b>1</b> → /unmatched",
        "📄 Пар без приказа: <b>1</b>",
        "🗳 Следующий опрос — промежуточный: 01.12–20.12 (через 8 дн.)",
        "<b>Неделя в цифрах</b> (в скобках — неделя до)\n"
        "Встреч проведено: <b>2</b> (1) · отзывов: <b>3</b> (0) · новых участников: <b>0</b> (0)",
        "<b>Показатели</b> · 2026/2027, 1-й год программы",
        "✅ охват молодых специалистов: <b>100 %</b> (цель 100 %)",
        "📈 Встречи по неделям и показатели против целей — на картинке выше.",
    ]
    positions = [text.find(part) for part in expected_order]
    assert -1 not in positions, [
        p for p, i in zip(expected_order, positions, strict=True) if i == -1
    ]
    assert positions == sorted(positions)
    assert "Гимназия" not in text and "Орлов" not in text
    assert message.buttons[-1][0] == "⚙️ Настройки сводки"
    labels = [label for label, _ in message.buttons]
    assert labels[:2] == ["🔴 Зайцев О. Ю. — Орехова Д. С.", "🟠 Громов А. И. — Лапина К. Ю."]

    card = await curator.click("Зайцев О. Ю. — Орехова Д. С.")
    assert "Зайцев Олег Юрьевич" in card.text and "Орехова Дарья Сергеевна" in card.text


async def test_coordinator_digest_covers_their_municipality_school_by_school(
    db: AsyncSession, clock: FixedClock, deliver: Deliver, fake_api: FakeBotAPI, dp: Dispatcher
) -> None:
    world = await w.world(db)
    await _troubles(db, world)
    await arrange.municipality_other(db)
    await _plan(db, clock, utc(23, 5, 30))
    await deliver()
    photo, message = _chat(fake_api, w.COORDINATOR)
    text = message.text
    assert photo.kind == "photo"
    assert "<b>Городской округ Серпухов</b>" in text
    assert "• Зайцев О. Ю. — Орехова Д. С. (МБОУ «Средняя школа № 12»): нет встреч 48 дн." in text
    assert "🔢 Численность педагогов на 2026/2027 не введена в 2 из 3 ОО → /headcount" in text
    schools = text[text.index("<b>По школам</b>") :]
    assert schools.index("Средняя школа № 12") < schools.index("Гимназия № 3")
    assert (
        "• <b>МБОУ «Средняя школа № 12»</b>: застой 1 · внимание 1 · без наставника 1 · "
        "без приказа 1 · без доп. соглашения 3 · встреч 2"
    ) in schools, schools
    assert "• <b>МБОУ «Лицей»</b>: нет численности" in schools
    assert "Новосибирск" not in text and "Школа № 7" not in text


async def test_settings_change_the_day_and_time_then_turn_it_off(
    db: AsyncSession, clock: FixedClock, person: PersonFactory
) -> None:
    world = await w.world(db)
    curator = person("Анна", user_id=w.CURATOR_A)

    reply = await curator.send("/digest settings")
    assert "Приходит: <b>понедельник, 08:30</b>" in reply.text
    assert "Europe/Moscow" in reply.text
    reply = await curator.click("Вт")
    assert "Приходит: <b>вторник, 08:30</b>" in reply.text
    reply = await curator.click("09:00")
    assert "Приходит: <b>вторник, 09:00</b>" in reply.text

    await _plan(db, clock, utc(23, 5, 30))  # Monday 08:30 in Moscow
    assert world.curator_a.id not in [r for r, _ in await _rows(db)]
    assert await _plan(db, clock, utc(24, 5, 59)) == 0  # Tuesday 08:59
    assert await _plan(db, clock, utc(24, 6, 0)) == 1  # Tuesday 09:00
    assert [r for r, _ in await _rows(db)][-1] == world.curator_a.id

    reply = await curator.click("Выключить сводку")
    assert "Сводка <b>выключена</b>" in reply.text
    # The next Tuesday is in December: no digest, the monitoring month's export alone.
    assert await _plan(db, clock, utc(1, 6, 0, month=12)) == 1
    last = (await db.scalars(select(Outbox).order_by(Outbox.id.desc()).limit(1))).one()
    assert last.recipient_id == world.curator_a.id and last.payload["export_only"] is True
    reply = await curator.click("Включить сводку")
    assert "Приходит: <b>вторник, 09:00</b>" in reply.text


async def test_forged_settings_and_teachers_are_refused(
    db: AsyncSession, person: PersonFactory
) -> None:
    await w.world(db)
    curator = person("Анна", user_id=w.CURATOR_A)
    await curator.send("/digest settings")
    message, _ = curator.find_button("Вт")
    reply = await curator.press(message, "dg:time:95")  # 01:35: not one of the times
    assert reply.alert is not None and "Такого значения нет" in reply.alert
    reply = await curator.press(message, "dg:day:9")
    assert reply.alert is not None and "Такого значения нет" in reply.alert

    mentee = person("Мария", user_id=w.IVANOVA)
    reply = await mentee.send("/digest")
    assert reply.text == "Эта команда доступна кураторам и координаторам программы."
    reply = await mentee.press(message, "dg:on:0")
    assert reply.alert == "Эта команда доступна кураторам и координаторам программы."


async def test_on_demand_and_a_quiet_week_in_one_line(
    db: AsyncSession, person: PersonFactory
) -> None:
    world = await w.world(db)
    await arrange.staff(db, LYCEUM_CURATOR, "Лебедева Ольга Ивановна", Role.CURATOR, school=world.c)
    await arrange.municipality_other(db)
    await sv.headcount(db, world.c, 30, 10, 2)

    reply = await person("Ольга", user_id=LYCEUM_CURATOR).send("/digest")
    assert [m.kind for m in reply.messages] == ["text"]
    assert reply.text == (
        "📋 Сводка за 16–22 ноября · МБОУ «Лицей»: тихая неделя — встреч и отзывов не было, "
        "ничего не ждёт вашего решения."
    )
    reply = await person("Анна", user_id=w.CURATOR_A).send("/digest")
    assert [m.kind for m in reply.messages] == ["photo", "text"]
    assert "Без наставника: <b>1</b>" in reply.messages[1].text


async def test_the_export_comes_with_the_first_december_digest_and_when_asked(
    db: AsyncSession,
    clock: FixedClock,
    deliver: Deliver,
    fake_api: FakeBotAPI,
    person: PersonFactory,
) -> None:
    await w.world(db)
    curator = person("Анна", user_id=w.CURATOR_A)
    # Monday 7 December, 08:30 in Moscow: the monitoring month's first digest.
    await _plan(db, clock, utc(7, 5, 30, month=12))
    await deliver()
    kinds = [m.kind for m in _chat(fake_api, w.CURATOR_A)]
    assert kinds == ["photo", "text", "document"]
    doc = _chat(fake_api, w.CURATOR_A)[-1]
    assert doc.filename == "Наставничество_МБОУ_Средняя_школа_№_12_2026-12-07.xlsx"
    assert doc.text == "📊 Месяц мониторинга: полная выгрузка в Excel — МБОУ «Средняя школа № 12»."
    assert doc.content is not None
    assert "База наставляемых" in load_workbook(io.BytesIO(doc.content)).sheetnames
    # The next December Monday: no export again.
    await _plan(db, clock, utc(14, 5, 30, month=12))
    await deliver()
    assert [m.kind for m in _chat(fake_api, w.CURATOR_A)][3:] == ["photo", "text"]
    # Asked for with every digest: it comes in January too.
    await curator.send("/digest settings")
    await curator.click("Выгрузка с каждой сводкой: нет")
    before = len(_chat(fake_api, w.CURATOR_A))
    await _plan(db, clock, utc(11, 5, 30, month=1).replace(year=2027))
    await deliver()
    assert [m.kind for m in _chat(fake_api, w.CURATOR_A)][before:] == ["photo", "text", "document"]
    assert _chat(fake_api, w.CURATOR_A)[-1].text.startswith("📊 Выгрузка в Excel к сводке")


async def test_the_monitoring_export_comes_even_with_the_digest_off(
    db: AsyncSession,
    clock: FixedClock,
    deliver: Deliver,
    fake_api: FakeBotAPI,
    person: PersonFactory,
) -> None:
    world = await w.world(db)
    curator = person("Анна", user_id=w.CURATOR_A)
    await curator.send("/digest settings")
    await curator.click("Выключить сводку")
    before = len(_chat(fake_api, w.CURATOR_A))

    async def mine(at: dt.datetime) -> int:
        await _plan(db, clock, at)
        return [r for r, _ in await _rows(db)].count(world.curator_a.id)

    assert await mine(utc(30, 5, 30)) == 0  # a November Monday: nothing at all
    # Monday 7 December, 08:30 in Moscow: the export alone, once.
    assert await mine(utc(7, 5, 30, month=12)) == 1
    await deliver()
    sent = _chat(fake_api, w.CURATOR_A)[before:]
    assert [m.kind for m in sent] == ["document"]
    assert sent[0].filename == "Наставничество_МБОУ_Средняя_школа_№_12_2026-12-07.xlsx"
    assert sent[0].text == (
        "📊 Месяц мониторинга: полная выгрузка в Excel — МБОУ «Средняя школа № 12»."
    )
    assert await mine(utc(7, 9, 0, month=12)) == 1  # later that day: not again
    assert await mine(utc(14, 5, 30, month=12)) == 1  # the next Monday: not again


async def test_a_curator_of_two_schools_gets_a_digest_for_each(
    db: AsyncSession,
    clock: FixedClock,
    deliver: Deliver,
    fake_api: FakeBotAPI,
    person: PersonFactory,
) -> None:
    """One digest per scope of her own, at her one time; the monitoring month's export
    with each; the second school's taken away before the send: nothing for it."""
    world = await w.world(db)
    second = RoleGrant(participant_id=world.curator_a.id, role=Role.CURATOR, school_id=world.b.id)
    db.add(second)
    # The coordinator also curates school A, inside her municipality: one digest still.
    db.add(RoleGrant(participant_id=world.coordinator.id, role=Role.CURATOR, school_id=world.a.id))
    await db.commit()
    # Monday 7 December, 08:30 in Moscow.
    await _plan(db, clock, utc(7, 5, 30, month=12))
    keys = [k for r, k in await _rows(db) if r == world.curator_a.id]
    me = world.curator_a.id
    assert keys == [f"digest:{me}:2026-12-07", f"digest:{me}:2026-12-07:school:{world.b.id}"]
    assert [r for r, _ in await _rows(db)].count(world.coordinator.id) == 1
    # The same tick again adds nothing.
    assert await _plan(db, clock, utc(7, 6, 0, month=12)) == 0
    await deliver()
    sent = _chat(fake_api, w.CURATOR_A)
    texts = [m.text for m in sent if m.kind == "text"]
    assert len(texts) == 2
    assert world.a.name in texts[0] and world.b.name in texts[1]
    files = [m.filename for m in sent if m.kind == "document"]
    assert files == [
        "Наставничество_МБОУ_Средняя_школа_№_12_2026-12-07.xlsx",
        "Наставничество_МБОУ_Гимназия_№_3_2026-12-07.xlsx",
    ]

    # A week on, school B is no longer hers by the time the row is sent.
    await _plan(db, clock, utc(14, 5, 30, month=12))
    await db.delete(second)
    await db.commit()
    before = len(_chat(fake_api, w.CURATOR_A))
    await deliver()
    texts = [m.text for m in _chat(fake_api, w.CURATOR_A)[before:] if m.kind == "text"]
    assert len(texts) == 1 and world.a.name in texts[0]

    # /digest on demand: one for each school she curates now, by name.
    anna = person("Анна", user_id=w.CURATOR_A)
    db.add(RoleGrant(participant_id=world.curator_a.id, role=Role.CURATOR, school_id=world.c.id))
    await db.commit()
    reply = await anna.send("/digest")
    texts = [m.text for m in reply.messages if m.kind == "text"]
    assert len(texts) == 2
    assert world.c.name in texts[0] and world.a.name in texts[1]  # «Лицей», «Средняя…»


async def test_a_regional_coordinator_who_curates_a_school_gets_both_digests(
    db: AsyncSession, clock: FixedClock, deliver: Deliver, fake_api: FakeBotAPI
) -> None:
    world = await w.world(db)
    _, _, zaitseva = await w.region(db, world)
    db.add(RoleGrant(participant_id=zaitseva.id, role=Role.CURATOR, school_id=world.c.id))
    await db.commit()
    await _plan(db, clock, utc(30, 5, 30))  # Monday 30 November, 08:30 in Moscow
    keys = [k for r, k in await _rows(db) if r == zaitseva.id]
    assert keys == [
        f"digest:{zaitseva.id}:2026-11-30",  # the region's, as /export takes it
        f"digest:{zaitseva.id}:2026-11-30:school:{world.c.id}",
    ]
    await deliver()
    texts = [m.text for m in _chat(fake_api, w.REGIONAL) if m.kind == "text"]
    assert len(texts) == 2
    assert "Сводка по региону" in texts[0] and world.c.name in texts[1]
