"""The weekly digest of a curator (their school) or a coordinator (their municipality):
when it is due (settings, planning), what it says (content), all without aiogram."""
