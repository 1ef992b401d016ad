"""Problems found while loading the checklist files, collected so all are reported at once."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from app.errors import Unprocessable


@dataclass(frozen=True)
class Problem:
    """One problem in one file, with the line and item id where known."""

    file: str
    line: int | None
    item_id: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        item = f" [{self.item_id}]" if self.item_id else ""
        return f"{where}:{item} {self.message}"


class CatalogueError(Unprocessable):
    """The checklist files are invalid; `problems` lists every problem found, not just the first.

    An `Unprocessable` so that a publish request with a bad file reaches the client as a 422
    with the full list (`extra["problems"]`).
    """

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.item_id or ""))
        super().__init__(
            f"Sjekklistefilene har {len(self.problems)} feil.",
            problems=[asdict(p) for p in self.problems],
        )

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class Collector:
    """Gathers the problems of one file."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, line: int | None, item_id: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, item_id, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise CatalogueError(self.problems)
