"""The stats chart: daily volume (bars) and answered rate (line), as a PNG. Needs the [plot] extra."""

from __future__ import annotations

import io

import numpy as np

from store.errors import PlotUnavailable
from store.stats import ReviewStats


def stats_png(stats: ReviewStats) -> bytes:
    """A PNG of the window's daily volume and answered rate."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display: draw to memory
        from matplotlib.figure import Figure
        from matplotlib.ticker import PercentFormatter
    except ImportError:
        raise PlotUnavailable(
            "The chart needs matplotlib, which is not installed: pip install 'factbot[plot]'."
        ) from None
    days = np.array([d.day for d in stats.per_day], dtype="datetime64[D]")
    figure = Figure(figsize=(10, 4.5), dpi=100, layout="constrained")
    volume = figure.subplots()
    volume.bar(days, [d.counts.asked for d in stats.per_day], color="#9db4d0", label="questions asked")
    volume.set_ylabel("questions asked")
    volume.set_title(f"factbot: the last {stats.days} days ({stats.first_day} to {stats.last_day})")
    rate = volume.twinx()
    answered = [d.counts.answered_rate for d in stats.per_day]
    known = np.array([r is not None for r in answered])
    rate.plot(
        days[known],
        np.array([r for r in answered if r is not None]),
        color="#c0392b",
        marker="o",
        markersize=3,
        label="answered rate",
    )
    rate.set_ylim(0, 1.05)
    rate.yaxis.set_major_formatter(PercentFormatter(1.0))
    rate.set_ylabel("answered")
    figure.legend(loc="outside lower center", ncols=2)
    figure.autofmt_xdate()
    png = io.BytesIO()
    figure.savefig(png, format="png")
    return png.getvalue()
