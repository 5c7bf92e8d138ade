# SPDX-License-Identifier: AGPL-3.0-or-later
"""`boxoffice decode FILE...`: the codes in pictures and videos, as the door's camera would read them."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from boxoffice.i18n import _


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    cmd = commands.add_parser("decode", parents=[common], help=_("read QR and Code 128 codes from images or videos"),
                              description=_("One line per image, or per video frame that shows a code."))
    cmd.add_argument("files", nargs="+", type=Path, metavar="FILE")
    cmd.add_argument("--json", action="store_true", help=_("one JSON object per image or frame"))
    cmd.set_defaults(handler=decode_files)


def decode_files(args: argparse.Namespace) -> int:
    from scanning.decode import FrameDecoder, decode_file
    from scanning.errors import ScannerError

    decoder = FrameDecoder()
    failed = False
    for path in args.files:
        try:
            for result in decode_file(path, decoder):
                if args.json:
                    print(json.dumps(result.to_json(), ensure_ascii=False), flush=True)
                else:
                    where = f"{result.file}" + (f" #{result.frame}" if result.frame is not None else "")
                    texts = ", ".join(f"{c.format} {c.text}" for c in result.codes) or _("no code")
                    print(f"{where}: {texts}", flush=True)
        except ScannerError as error:
            # One unreadable file must not hide the codes of the others.
            print(_("error: {message}").format(message=error), file=sys.stderr)
            failed = True
    return 1 if failed else 0
