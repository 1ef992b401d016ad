"""What the contract test and its fixtures (tests/api/conftest.py) share: the generated
package's name, the generator, the live server's handle and the users' password."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "uu_bolig_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PASSWORD = "klient-hemmelig-passord"


@dataclass
class LiveServer:
    app: object
    url: str
