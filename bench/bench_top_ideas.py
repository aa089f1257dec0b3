"""How long `top_ideas` takes for a morning list (the due engineer's 300-customer book).

Usage: python bench/bench_top_ideas.py DB_URL_OR_PATH [--customers 300] [--repeat 20]
Prints the median over warm repeats and the first (cold-ish) call, in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import time

from sqlalchemy import select


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--customers", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()

    from vipcli import clock
    from vipcli.config import load_rules
    from vipcli.db.engine import open_engine
    from vipcli.db.models import Holding
    from vipcli.services.sales.recommend import top_ideas

    engine = open_engine(args.db)
    rules = load_rules(None).rules
    with engine.connect() as conn:
        ids = list(conn.execute(
            select(Holding.customer_id).distinct().order_by(Holding.customer_id).limit(args.customers)
        ).scalars())
        timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            found = top_ideas(conn, ids, clock.today(), rules)
            timings.append((time.perf_counter() - start) * 1000)
    print(f"top_ideas for {len(ids)} customers ({len(found)} with an idea): "
          f"first {timings[0]:.1f} ms, median {statistics.median(timings):.1f} ms")


if __name__ == "__main__":
    main()
