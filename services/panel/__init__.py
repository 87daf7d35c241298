"""The curator's panel (a Telegram Mini App): who opened it (signed in by Telegram's
initData), what it shows (read-only, from the digest, indicators, surveys and pair
status services) and the export it queues to the person's chat. No aiogram here."""
