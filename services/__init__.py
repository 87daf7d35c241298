"""Domain logic: no aiogram here. Each use case takes an AsyncSession (and a clock
where time matters), commits once, and returns plain data."""
