"""What each block of a guide became: one registry of block kinds, and a typed `Claim`.

The parser's readers claim blocks (a pay table, a lever's script, the sources list…); figure
coverage then says, for each amount in a claimed block that no fact holds, where it stands and
why it is not a fact. Both read this registry, so a new shape of block is one reader module
plus one entry here — not a string such as "lever:3" decoded elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ClaimKind = Literal[
    "title", "dna", "pay", "levers", "targets", "premiums", "sources", "levels", "narrative", "heading", "table"
]


@dataclass(frozen=True)
class BlockKind:
    """A kind of block: how lint names it, and why an amount in it that no fact holds is not
    one (an aside there, or a figure the reader may have missed)."""

    label: str  # "pay table", "lever script"
    reason: str  # "in a column that is no pay component"
    serious: bool = False  # an amount left there may be a pay figure missed: a warning, not info


KINDS: dict[ClaimKind, BlockKind] = {
    "title": BlockKind("title", "in the title"),
    "dna": BlockKind("negotiation DNA tags", "in the tags line"),
    "pay": BlockKind("pay table", "in a column that is no pay component", serious=True),
    "levers": BlockKind("lever script", "mentioned in a script, not asked for"),
    "targets": BlockKind("negotiate-up targets", "context, not a region's target"),
    "premiums": BlockKind("premiums", "a further figure in a premium"),
    "sources": BlockKind("sources", "in the sources list"),
    "levels": BlockKind("level mapping", "in the level-mapping table"),
    "narrative": BlockKind("narrative", "in narrative text, not a pay fact"),
    "heading": BlockKind("heading", "in a heading"),
    "table": BlockKind("table", "in a block the parser does not read", serious=True),
}


@dataclass(frozen=True)
class Claim:
    """A block as read: its kind, and for the blocks that need it a word more (which lever,
    what kind of table)."""

    kind: ClaimKind
    detail: str = ""  # "3" for lever 3; "a table that is not pay, levels, premiums or targets"

    @property
    def block(self) -> BlockKind:
        return KINDS[self.kind]

    @property
    def reason(self) -> str:
        """Why an amount here that no fact holds is not one."""
        return self.detail if self.kind == "table" and self.detail else self.block.reason
