"""`python -m helpdesk`: run the helpdesk web service."""

from __future__ import annotations

import argparse
import logging

from helpdesk.app import create_app
from helpdesk.config import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="helpdesk", description="Run the helpdesk web service.")
    parser.add_argument("command", nargs="?", default="serve", choices=["serve"])
    parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # request lines would carry the Rasa token
    settings = Settings.from_env()
    app = create_app(settings)
    app.run(host=settings.host, port=settings.port, single_process=True, access_log=False, motd=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
