"""The one place for justified exceptions to the content quality gates.

Every entry says why. A test fails when an exception no longer matches content.
"""

# Texts allowed to be identical in two languages: proper names only.
SAME_TEXT_ALLOWED: set[str] = set()

# (text path, language) -> why the language identifier may disagree.
LANGUAGE_ID_EXCEPTIONS: dict[tuple[str, str], str] = {}
