"""The young teachers' club «Пеликаша»: its events (scope, plan, publishing, RSVPs with
a waiting list, reminders) without aiogram. Modules: scope (who organises and who may
see what), audience (who an event is for), events (the plan), publishing (the outbox
rows of announcements, changes, cancellations and the channel post), rsvp, reminders,
plan_import."""
