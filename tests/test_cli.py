"""Command-line provisioning: users and the demo municipality."""

from sqlalchemy import func, select

from app.applicants.models import Applicant
from app.assessments.models import UnitAssessment
from app.auth.cli import users_cli
from app.auth.models import User
from app.demo.cli import demo_cli
from app.extensions import db
from app.units.models import Unit


def test_users_create_with_password_and_generated(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        users_cli,
        [
            "create",
            "--email",
            "Ny@Kommune.no",
            "--role",
            "inspector",
            "--password",
            "et-langt-passord",
        ],
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.email == "ny@kommune.no")).role == "inspector"
    generated = runner.invoke(
        users_cli, ["create", "--email", "b@k.no", "--role", "admin", "--generate"]
    )
    assert "Passord (vises bare nå)" in generated.output
    duplicate = runner.invoke(
        users_cli, ["create", "--email", "ny@kommune.no", "--role", "admin", "--password", "x" * 12]
    )
    assert duplicate.exit_code != 0 and "finnes allerede" in duplicate.output
    short = runner.invoke(
        users_cli, ["create", "--email", "c@k.no", "--role", "admin", "--password", "kort"]
    )
    assert short.exit_code != 0 and "minst 10 tegn" in short.output


def test_demo_seed_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(demo_cli, ["seed", "--units", "40"])
    assert first.exit_code == 0, first.output
    assert "passordene vises bare nå" in first.output

    def counts():
        return [
            db.session.scalar(select(func.count()).select_from(m))
            for m in (User, Unit, UnitAssessment, Applicant)
        ]

    after_first = counts()
    assert after_first[1] >= 40 and after_first[2] > 0 and after_first[3] > 0
    second = runner.invoke(demo_cli, ["seed", "--units", "40"])
    assert second.exit_code == 0 and "uendret" in second.output
    assert counts() == after_first


def test_demo_seed_refuses_to_run_in_production(app, monkeypatch):
    from sqlalchemy import func, select

    from app.auth.models import User
    from app.extensions import db

    users = db.session.scalar(select(func.count()).select_from(User))
    monkeypatch.setitem(app.config, "APP_ENV", "production")
    result = app.test_cli_runner().invoke(demo_cli, ["seed", "--units", "5"])
    assert result.exit_code != 0 and "produksjon" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == users
