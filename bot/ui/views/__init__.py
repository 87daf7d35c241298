"""What a person sees, per feature: texts and keyboards built from services' plain
data. Handlers render these and reply; the notices reuse the shared pieces."""
