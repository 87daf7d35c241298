"""What participants and staff see of surveys, indicators and headcounts: texts and
keyboards (views), callback data, and the round-dates dialog. Used by handlers and by
the outbox renderers (bot/ui/notices/surveys.py)."""
