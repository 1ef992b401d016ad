"""`flask scores rebuild`: rescore every unit after new profiles or measures are published."""

import time

import click
from flask.cli import with_appcontext

from app.assessments import rebuild
from app.assessments.rebuild import ON_THE_FLY
from app.extensions import db


@click.group("scores", help="Vurderinger.")
def scores_cli():
    pass


def _progress(done, total):
    db.session.commit()
    click.echo(f"\r{done}/{total}", nl=False)


@scores_cli.command("rebuild")
@click.option("--batch-size", default=1000, show_default=True, type=click.IntRange(1, 10_000))
@click.option(
    "--plans/--no-plans",
    default=False,
    show_default=True,
    help="Refresh the planning input the rebuild made stale right away.",
)
@click.option(
    "--if-outdated",
    is_flag=True,
    help="Only when some assessment was scored with an older scoring model (after upgrades).",
)
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Rescore every assessment, also those already scored with today's definitions and "
    "facts (after a fix in the scoring code).",
)
@with_appcontext
def rebuild_command(batch_size, plans, if_outdated, every):
    """Rescore the current assessments that the newest published definitions, the scoring
    model or changed unit facts have made outdated."""
    if if_outdated:
        outdated = rebuild.outdated_model_count()
        if not outdated:
            return
        click.echo(f"{outdated} vurderinger er beregnet med en eldre modell; beregner på nytt.")
    started = time.perf_counter()
    count = rebuild.rebuild_all(batch_size, _progress, every=every)
    db.session.commit()
    rebuild.vacuum_scores()
    click.echo(
        f"\nOmberegnet {count} boliger på {time.perf_counter() - started:.1f} s; de andre var "
        "allerede beregnet med gjeldende definisjoner og fakta."
    )
    if plans:
        refresh_plans.callback()
        return
    stale = rebuild.stale_plan_inputs()
    if stale:
        click.echo(
            f"Tiltaksgrunnlaget for {stale} boliger er utdatert. Porteføljeplanen beregner opptil "
            f"{ON_THE_FLY} selv; kjør `flask scores refresh-plans` for flere (ca. 2 ms per bolig)."
        )


@scores_cli.command("refresh-plans")
@with_appcontext
def refresh_plans():
    """Compute the upgrade options (planning input) that a rebuild marked stale."""
    started = time.perf_counter()
    count = rebuild.refresh_plan_inputs(progress=_progress)
    db.session.commit()
    seconds = time.perf_counter() - started
    click.echo(f"\nOppdaterte tiltaksgrunnlaget for {count} boliger på {seconds:.1f} s.")
