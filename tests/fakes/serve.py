"""The fake Bot API alone in a process of its own: benchmarks run it so that Telegram's
side of each request is not counted against the bot (in production it is another
machine). Prints its base URL on the first line, then serves until terminated.

    python -m tests.fakes.serve [--port 0] [--latency-ms 0]
"""

from __future__ import annotations

import argparse
import asyncio

from tests.fakes.bot_api import FakeBotAPI


async def serve(port: int, latency: float) -> None:
    api = FakeBotAPI(port=port, latency=latency)
    print(await api.start(), flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await api.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency-ms", type=float, default=0)
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.latency_ms / 1000))
