"""Satisfaction surveys: the instrument as versioned data (instrument), rounds with
dates per school and year (rounds), invitations and reminders planned by the
scheduler (planning), answering in chat (answering), response rates and results
(results), and what withdrawal erases (erasure)."""
