"""Periodic jobs and the outbox sender."""
