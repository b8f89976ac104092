"""Typo tolerance from the index's own vocabulary: the closest known word to one the index does not know.

Pure (no Django): `Speller(frequencies)` takes the index's words with the number of fiches using each,
and `correct(word)` answers the known word at the smallest Damerau-Levenshtein distance (ties: the word
used by more fiches, then the one whose start matches). The distance allowed grows with the length of
the word: 0 for 1–3 letters (too many near neighbours), 1 for 4–5, 2 for 6–9, 3 from 10.
"""

from __future__ import annotations

from collections.abc import Mapping

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein


def allowed_distance(word: str) -> int:
    n = len(word)
    if n <= 3:
        return 0
    if n <= 5:
        return 1
    if n <= 9:
        return 2
    return 3


class Speller:
    def __init__(self, frequencies: Mapping[str, int]):
        # digits-only tokens and one-letter ones are codes and initials: never a correction
        self.frequencies = {w: n for w, n in frequencies.items() if len(w) > 2 and not w.isdigit()}
        self.words = list(self.frequencies)

    def __contains__(self, word: str) -> bool:
        return word in self.frequencies

    def correct(self, word: str) -> str | None:
        """The closest known word, or None when the word is known, too short, or nothing is close."""
        if word in self.frequencies or word.isdigit():
            return None
        limit = allowed_distance(word)
        if not limit:
            return None
        found = process.extract(
            word, self.words, scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=20
        )
        if not found:
            return None

        def preference(match):
            candidate, distance, _index = match
            common_start = next(
                (i for i, (a, b) in enumerate(zip(word, candidate, strict=False)) if a != b),
                min(len(word), len(candidate)),
            )
            return (distance, -min(common_start, 3), -self.frequencies[candidate], candidate)

        return min(found, key=preference)[0]
