# SPDX-License-Identifier: AGPL-3.0-or-later
"""`boxoffice passes create|sell|link|resales` run as real processes on the demo venue."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.boxoffice.test_cli import run

PHOTO = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


class TestPassCommands:
    def test_create_sell_print_and_link_a_pass(self, tmp_path: Path):
        data = tmp_path / "d"
        assert run(data, "demo", "--tickets", "10").returncode == 0
        created = run(data, "passes", "create", "--name", "Abonnement Saison", "--event", "Le Misanthrope",
                      "--price", "24000", "--field", "last_name*", "--field", "first_name", "--field", "photo",
                      "--json")
        assert created.returncode == 0, created.stderr
        listing = json.loads(run(data, "passes", "--json").stdout)["passes"]
        assert [(p["name"], p["price_minor"], p["fields"]) for p in listing] == [
            ("Abonnement Saison", 24000, [{"name": "last_name", "required": True},
                                          {"name": "first_name", "required": False},
                                          {"name": "photo", "required": False}])]
        refused = run(data, "passes", "sell", "--pass", "Abonnement Saison", "--holder", "first_name=Zoé")
        assert refused.returncode == 1 and "Please fill in: Last name." in refused.stderr
        (tmp_path / "zoe.png").write_bytes(PHOTO)
        sold = run(data, "passes", "sell", "--pass", "Abonnement Saison", "--holder", "last_name=Rochat",
                   "--holder", "first_name=Zoé", "--photo", str(tmp_path / "zoe.png"), "--payment", "card", "--json")
        assert sold.returncode == 0, sold.stderr
        order = json.loads(sold.stdout)
        assert order["total_minor"] == 24000 and order["tickets"] == []
        printed = run(data, "print", "pass", "--order", order["number"], "-o", str(tmp_path / "pass.pdf"))
        assert printed.returncode == 0, printed.stderr
        assert (tmp_path / "pass.pdf").read_bytes().startswith(b"%PDF")
        unpaired = run(data, "passes", "link", order["pass"])
        assert unpaired.returncode == 1 and "not paired with a server" in unpaired.stderr
        link = run(data, "passes", "link", order["pass"], "--server", "https://tickets.example.ch/")
        assert re.fullmatch(rf"https://tickets\.example\.ch/pass/{order['pass']}\.[a-z2-7]{{24}}\n", link.stdout)
        assert order["secret"] not in link.stdout
        resales = json.loads(run(data, "passes", "resales", "--json").stdout)
        assert resales == {"resales": [], "settled": 0}
