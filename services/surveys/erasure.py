"""What withdrawal of consent does to surveys: every typed answer of the person goes,
and so do the typed answers of the people who shared a pair with them (they are about
the person and often name them). Scores, yes/no and deficit changes stay: the person's
row is anonymous after erasure, so they count in the statistics without a name."""

from __future__ import annotations

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Pair, PairMember
from models.surveys import SurveyAnswer, SurveyResponse


async def erase_texts(session: AsyncSession, participant_id: int, pair_ids: list[int]) -> None:
    people = select(SurveyResponse.id).where(SurveyResponse.participant_id == participant_id)
    if pair_ids:
        partners = (
            select(Pair.mentor_id)
            .where(Pair.id.in_(pair_ids))
            .union(select(PairMember.mentee_id).where(PairMember.pair_id.in_(pair_ids)))
        )
        people = select(SurveyResponse.id).where(
            or_(
                SurveyResponse.participant_id == participant_id,
                SurveyResponse.participant_id.in_(partners),
            )
        )
    await session.execute(
        update(SurveyAnswer)
        .where(SurveyAnswer.response_id.in_(people), SurveyAnswer.text.is_not(None))
        .values(text=None)
        .execution_options(synchronize_session=False)
    )
