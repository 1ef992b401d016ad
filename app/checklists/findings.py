"""Findings: what is wrong in the checklist files, collected so all are reported at once
(the 422 of a publish lists them as `problems`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from app.errors import Unprocessable


@dataclass(frozen=True)
class Finding:
    """One thing wrong in one file, with the line and item id where known."""

    file: str
    line: int | None
    item_id: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        item = f" [{self.item_id}]" if self.item_id else ""
        return f"{where}:{item} {self.message}"


class CatalogueError(Unprocessable):
    """The checklist files are invalid; `findings` lists everything wrong, not just the first.

    An `Unprocessable` so that a publish request with a bad file reaches the client as a 422
    with the full list (`extra["problems"]`).
    """

    def __init__(self, findings: list[Finding]):
        self.findings = sorted(findings, key=lambda p: (p.file, p.line or 0, p.item_id or ""))
        super().__init__(
            f"Sjekklistefilene har {len(self.findings)} feil.",
            problems=[asdict(p) for p in self.findings],
        )

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.findings)


class Collector:
    """Gathers the findings of one file."""

    def __init__(self, file: str):
        self.file = file
        self.findings: list[Finding] = []

    def add(self, line: int | None, item_id: str | None, message: str) -> None:
        self.findings.append(Finding(self.file, line, item_id, message))

    def raise_if_any(self) -> None:
        if self.findings:
            raise CatalogueError(self.findings)
