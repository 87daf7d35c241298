"""Periodic jobs and the outbox sender (issue 3)."""
