"""`python -m web`: serve the app on the configured host and port (NEGOTIATE_HOST/PORT)."""

from __future__ import annotations

import logging

import uvicorn

from assistant.settings import Settings
from web.app import create_app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings()
    # No "Server: uvicorn" header, and no uvicorn access log: its lines hold full paths (and
    # so conversation ids); web.access logs each request by its route instead.
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="info",
        server_header=False,
        access_log=False,
    )


if __name__ == "__main__":
    main()
