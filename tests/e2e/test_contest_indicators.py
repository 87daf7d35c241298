"""«Мои достижения» feed /indicators, through the fake Bot API: a young specialist adds
a contest in /portfolio and another a publication; the school's curator sees 002's
contest participation move, the coordinator 000's two criteria, each with its
«Методика расчёта» saying the rule is the project's own choice."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from tests.arrange import club as arrange_club
from tests.arrange import surveys as sv
from tests.fakes.client import PersonFactory

CONTEST_NAME = (
    "Увеличится доля педагогов, в том числе молодых, принимающих участие в конкурсах "
    "профессионального мастерства (от общего количества молодых педагогов)"
)


async def test_portfolio_entries_move_the_indicators(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange_club.club_world(db)
    await sv.headcount(db, w.school_a, 40, 12, 4)
    curator = person("Анна", user_id=arrange_club.CURATOR_A)

    reply = await curator.send("/indicators")
    assert f"<b>5. {CONTEST_NAME}</b>\nA = 0, B = 4 → <b>0 %</b> ⚠️ · цель 50 %" in reply.text

    maria = person("Мария", user_id=arrange_club.YOUNG_A)
    await maria.send("/portfolio")
    await maria.click("Добавить достижение")
    await maria.click("Конкурс")
    await maria.send("Конкурс «Дебют»")
    await maria.click("муниципальный уровень")
    await maria.click("участник")
    reply = await maria.click("Без файла")
    assert "Добавлено" in reply.text
    darya = person("Дарья", user_id=arrange_club.YOUNG_A2)
    await darya.send("/portfolio")
    await darya.click("Добавить достижение")
    await darya.click("Публикация")
    await darya.send("Статья «Дисциплина без крика» в сборнике ИМЦ")
    reply = await darya.click("Без файла")
    assert "Добавлено" in reply.text

    reply = await curator.send("/indicators")
    text = reply.text
    print(text)  # `pytest -s`: the curator's screen as the fake saw it
    # Maria's contest counts; Darya's publication does not count as a contest.
    assert f"<b>5. {CONTEST_NAME}</b>\nA = 1, B = 4 → <b>25 %</b> ⚠️ · цель 50 %" in text
    method = (await curator.click("Методика расчёта")).text
    assert CONTEST_NAME in method and "выбор проекта" in method

    coordinator = person("Ольга", user_id=arrange_club.COORDINATOR)
    reply = await coordinator.send("/indicators")
    screen = reply.text
    print(screen)
    assert (
        "<b>6. Охват молодых педагогов профессиональными конкурсами и вовлечением в "
        "проекты</b>\nA = 1, B = 4 → <b>25 %</b> · по 1 из 3 ОО, где введена численность"
    ) in screen
    assert (
        "<b>7. Степень публикационной активности молодых педагогов</b>\n"
        "A = 1, B = 4 → <b>25 %</b> · по 1 из 3 ОО, где введена численность"
    ) in screen
    assert "участие в конкурсах 1/4 = 25 % ⚠️" in screen  # school A's line
    method = (await coordinator.click("Методика расчёта")).text
    assert "Формулы и цели в материалах нет" in method
    assert "Степень публикационной активности молодых педагогов" in method


async def test_the_coordinator_sets_a_target_the_seeds_do_not_give(
    db: AsyncSession, person: PersonFactory
) -> None:
    await arrange_club.club_world(db)
    coordinator = person("Ольга", user_id=arrange_club.COORDINATOR)
    await coordinator.send("/indicators")
    reply = await coordinator.click("🎯 Цели")
    assert (
        "• Степень публикационной активности молодых педагогов: <b>—</b> — "
        "в материалах цели нет — задайте свою"
    ) in reply.text
    await coordinator.click("публикации: —")
    reply = await coordinator.click("30 %")
    assert "✅ Цель сохранена." in reply.text
    assert (
        "• Степень публикационной активности молодых педагогов: <b>30 %</b> — "
        "задана координатором (в материалах цели нет)"
    ) in reply.text
    reply = await coordinator.click("📈 К показателям")
    assert (
        "<b>7. Степень публикационной активности молодых педагогов</b>\n"
        "B — <b>нет данных</b> (численность не введена: /headcount) · цель 30 %"
    ) in reply.text
