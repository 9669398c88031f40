from __future__ import annotations


class IngestError(Exception):
    """A problem with one input (a file, a row, a feed item): reported, never fatal to the batch."""

    def __init__(self, where: str, problem: str, row: int | None = None) -> None:
        self.where = where
        self.row = row
        self.problem = problem
        loc = f"{where}:{row}" if row is not None else where
        super().__init__(f"{loc}: {problem}")
