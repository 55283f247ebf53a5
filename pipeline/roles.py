"""What an access token may do (`pipeline.access` keeps the tokens): apart, so that naming the roles,
as the CLI's help does, loads no database code."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a token may do, each role allowing everything the ones before it allow."""

    VIEWER = "viewer"  # search and read records
    EXPORTER = "exporter"  # and export them, and download originals
    REVIEWER = "reviewer"  # and correct extracted fields
    ADMIN = "admin"  # and manage tokens and read the audit log

    def allows(self, needed: Role) -> bool:
        order = list(Role)
        return order.index(self) >= order.index(needed)
