"""Code and templates cite the law and the repository's own docs, never files outside the repository."""

import re
from pathlib import Path

from django.conf import settings

# Paths that only exist beside a checkout (background notes of the people who wrote Jalur).
OUTSIDE = re.compile(r"(?<![\w/])(?:\.\./)*" + "sha" + r"red/(?:domain|data|seed)\b")


def test_no_comment_or_docstring_points_outside_the_repository():
    root = Path(settings.BASE_DIR)
    found = []
    for path in sorted((root / "jalur").rglob("*")):
        if path.suffix not in {".py", ".html", ".txt", ".md"} or "locale" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert not found, "cite the law or docs/law.md instead:\n" + "\n".join(found)
