"""Publish definitions from `checklists/` and serve the published catalogue.

Publishing validates every file together, then stores each file's source under its version.
The same content again is a no-op; changed content under a published version is refused.
The catalogue in force is rebuilt from the stored sources, so results are reproducible from
exactly the definitions that produced them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import select

from app.audit import services as audit
from app.checklists.definitions import Catalogue
from app.checklists.loader import build_catalogue, content_hash, read_sources
from app.checklists.mapping import MAPPING_FILE
from app.checklists.models import PublishedDefinition
from app.errors import Conflict, NotFound
from app.extensions import db

SHARED = {
    "limitations.yaml": "limitations",
    "profiles.yaml": "profiles",
    "measures.yaml": "measures",
}


@dataclass(frozen=True)
class PublishOutcome:
    file_name: str
    kind: str
    key: str
    version: int
    status: str  # "published" or "unchanged"


def _identify(name: str, sources: dict, catalogue: Catalogue) -> tuple[str, str, int]:
    mapping = MAPPING_FILE.match(name)
    if mapping is not None:  # key "uu-bolig/v1", version 2: the mapping from v1 to v2
        return "mapping", f"{mapping.group(1)}/v{mapping.group(2)}", int(mapping.group(3))
    if name in SHARED:
        kind = SHARED[name]
        versions = {
            "limitations": lambda: int(yaml.safe_load(sources[name]).get("version", 1)),
            "profiles": lambda: catalogue.profiles.version,
            "measures": lambda: catalogue.measures.version,
        }
        return kind, kind, versions[kind]()
    key, version = name.removesuffix(".yaml").split("/v")
    return "checklist", key, int(version)


def publish(directory: Path) -> list[PublishOutcome]:
    """Validate all files in `directory` and publish every version not yet stored."""
    sources = read_sources(directory)
    catalogue = build_catalogue(sources)  # raises CatalogueError listing every problem
    outcomes, refused = [], []
    for name, text in sources.items():
        kind, key, version = _identify(name, sources, catalogue)
        digest = content_hash(text)
        stored = db.session.scalar(
            select(PublishedDefinition).filter_by(kind=kind, key=key, version=version)
        )
        if stored is not None:
            if stored.content_hash != digest:
                refused.append(f"{name}: versjon {version} er publisert med annet innhold")
            outcomes.append(PublishOutcome(name, kind, key, version, "unchanged"))
            continue
        db.session.add(
            PublishedDefinition(
                kind=kind,
                key=key,
                version=version,
                file_name=name,
                content_hash=digest,
                source=text,
            )
        )
        outcomes.append(PublishOutcome(name, kind, key, version, "published"))
    if refused:
        raise Conflict(
            "En publisert versjon kan ikke endres. Gi endringen et nytt versjonsnummer. "
            + "; ".join(refused)
        )
    db.session.flush()
    published = [o for o in outcomes if o.status == "published"]
    if published:
        audit.record(
            "definitions.published",
            "definitions",
            None,
            details={"files": [f"{o.file_name}@{o.version}" for o in published]},
        )
    return outcomes


_cache: dict[tuple, Catalogue] = {}
_cache_lock = threading.Lock()


def catalogue(
    profiles_version: int | None = None, measures_version: int | None = None
) -> Catalogue:
    """The published catalogue: every checklist version, with the newest (or the given)
    limitations, profiles and measures versions. Cached by content hashes."""
    # The light columns decide which files and hashes; sources are read only to build.
    rows = db.session.execute(
        select(
            PublishedDefinition.id,
            PublishedDefinition.kind,
            PublishedDefinition.file_name,
            PublishedDefinition.version,
            PublishedDefinition.content_hash,
        ).order_by(PublishedDefinition.version)
    ).all()
    if not rows:
        raise NotFound("Ingen sjekkliste er publisert ennå (kjør `flask checklists publish`).")
    chosen = {}
    wanted = {"profiles": profiles_version, "measures": measures_version}
    for row in rows:
        name = row.file_name if row.kind in ("checklist", "mapping") else f"{row.kind}.yaml"
        if row.kind in wanted and wanted[row.kind] is not None and row.version != wanted[row.kind]:
            continue
        chosen[name] = row  # later (higher) versions replace earlier ones
    key = tuple(sorted((name, row.content_hash) for name, row in chosen.items()))
    with _cache_lock:
        if key not in _cache:
            names = {row.id: name for name, row in chosen.items()}
            sources = db.session.execute(
                select(PublishedDefinition.id, PublishedDefinition.source).where(
                    PublishedDefinition.id.in_(names)
                )
            )
            _cache[key] = build_catalogue(
                {names[i]: source for i, source in sources}, publishing=False
            )
        return _cache[key]


def checklist_versions() -> list[PublishedDefinition]:
    return db.session.scalars(
        select(PublishedDefinition)
        .where(PublishedDefinition.kind == "checklist")
        .order_by(PublishedDefinition.key, PublishedDefinition.version)
    ).all()


def checklist_definition(key: str, version: int) -> PublishedDefinition:
    row = db.session.scalar(
        select(PublishedDefinition).filter_by(kind="checklist", key=key, version=version)
    )
    if row is None:
        raise NotFound(f"Sjekklisten {key} versjon {version} finnes ikke.")
    return row
