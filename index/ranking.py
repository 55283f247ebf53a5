"""How both backends rank a text match, in one place (the contract suite holds them to it).

- Every query word must be on the page, folded or as written.
- A word typed *with* its marks ("Đình", "Hà") found as written adds `EXACT_BONUS`: "Hà" ranks a "Hà"
  page before a "Hạ" page. A word typed without marks earns nothing extra as written: "trong" typed
  plainly means "Trọng" as much as the everyday word "trong", so only the folded match counts for it.
  BM25's IDF vanishes for words most pages hold ("Hà" in "Hà Nội"), hence a constant, not a weight.
- Query words found next to each other, in the query's order, add `PHRASE_BONUS`, more than one exact
  word: "Ba Đình" ranks a page saying "Ba Đình" far above one with "ba" and "Đình" apart.
- A document whose fields hold what the query names (`SearchQuery.prefer`: the district or ward in
  "nguyen dich vong" or "q. hoàng mai") adds `PREFER_BONUS`, more than all the text bonuses together:
  the documents of the unit come before those whose running text merely mentions its words.
- BM25 orders what the bonuses leave tied; as-written matches of marked words weigh `EXACT_WEIGHT`
  times the folded ones there.
"""

from __future__ import annotations

EXACT_WEIGHT = 3.0
EXACT_BONUS = 1000.0  # per word typed with marks and found as written on the page
PHRASE_BONUS = 2000.0  # the query's words found together, in order, on the page
PREFER_BONUS = 1e5  # a field holds what the query names; below a code lookup's score (1e7)
