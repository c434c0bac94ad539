"""The one error type of the outputs package.

>>> str(OutputError("annex.pdf: paper 'B5' is not one of A4, A3"))
"annex.pdf: paper 'B5' is not one of A4, A3"
"""

from __future__ import annotations

__all__ = ["OutputError"]


class OutputError(ValueError):
    """An output cannot be made (bad option, no CJK font, unwritable file …);
    the message names the file or option and the problem in one line."""
