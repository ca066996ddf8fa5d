"""Plain-language checks for module text: Flesch reading ease and guidance length.

Syllables are counted by vowel groups, which errs towards more syllables than a
dictionary would find, so a score here is on the cautious side.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from careers_app.content.schema import Module

WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
VOWEL_GROUP = re.compile(r"[aeiouy]+")
# A sentence ends at . ! ? or a colon, and each list item or paragraph stands alone.
SENTENCE_END = re.compile(r"[.!?:;]+(?:\s|$)|\n\s*\n|\n\s*(?:[-*]|\d+\.)\s")
MARKDOWN_SYNTAX = re.compile(r"[*_`#>\[\]]|\(https?://[^)]*\)")

MAX_GUIDANCE_WORDS = 350
MIN_READING_EASE = 50.0


def syllables(word: str) -> int:
    word = word.lower()
    count = len(VOWEL_GROUP.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # a silent final e, as in "choose"
    return max(count, 1)


def words(text: str) -> list[str]:
    return WORD.findall(MARKDOWN_SYNTAX.sub(" ", text))


def reading_ease(texts: Iterable[str]) -> float:
    """Flesch reading ease of the texts together: 60-70 is plain English, 50 is the floor."""
    total_words = total_sentences = total_syllables = 0
    for text in texts:
        clean = MARKDOWN_SYNTAX.sub(" ", text)
        parts = [part for part in SENTENCE_END.split(clean) if part and WORD.search(part)]
        found = WORD.findall(clean)
        total_words += len(found)
        total_sentences += len(parts)
        total_syllables += sum(syllables(word) for word in found)
    if not total_words:
        return 100.0
    return (206.835 - 1.015 * total_words / max(total_sentences, 1)
            - 84.6 * total_syllables / total_words)


def module_texts(module: Module) -> list[str]:
    """What a trainee reads: guidance and examples (labels and hints are short)."""
    return [text for step in module.steps for text in (step.guidance, step.example or "")]


def longest_guidance(module: Module) -> tuple[str, int]:
    """(step id, word count) of the step with the longest guidance."""
    return max(((step.id, len(words(step.guidance))) for step in module.steps),
               key=lambda pair: pair[1])
