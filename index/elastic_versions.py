"""Versioned indices behind one alias: `<alias>-v<N>`, switched in one atomic call, old ones removed.

Searches go through the alias only, so a rebuild fills a new version while
the old one keeps answering, and one `_aliases` request moves every reader.
"""

from __future__ import annotations

import re

from elasticsearch import Elasticsearch, NotFoundError


def version_name(alias: str, number: int | str) -> str:
    """`hoso-records-v3`; number "*" gives the pattern of every version."""
    return f"{alias}-v{number}"


def versions(client: Elasticsearch, alias: str) -> dict[int, str]:
    """Every existing version of `alias`, by number."""
    pattern = re.compile(re.escape(alias) + r"-v(\d+)")
    names = client.indices.get_alias(index=version_name(alias, "*"))
    return {int(match.group(1)): name for name in names if (match := pattern.fullmatch(name))}


def live(client: Elasticsearch, alias: str) -> list[str]:
    """The index (indices, after a manual change) the alias points to; none before the first `ensure`."""
    try:
        return sorted(client.indices.get_alias(name=alias))
    except NotFoundError:
        return []


def switch(client: Elasticsearch, alias: str, index: str) -> None:
    """Point `alias` at `index` alone, atomically: readers see the old version or the new, never neither."""
    client.indices.update_aliases(
        actions=[
            {"remove": {"index": version_name(alias, "*"), "alias": alias, "must_exist": False}},
            {"add": {"index": index, "alias": alias}},
        ]
    )


def delete_older(client: Elasticsearch, alias: str, current: int) -> list[str]:
    """Delete the versions before `current`; a newer one (a rebuild running elsewhere) is left alone."""
    old = [name for number, name in versions(client, alias).items() if number < current]
    if old:
        client.indices.delete(index=",".join(old), ignore_unavailable=True)
    return old
