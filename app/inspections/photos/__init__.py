"""Photo evidence: validate, normalise and strip uploaded photos, and store their files."""
