"""Bar charts with several series (grouped or stacked), drawn like the single-series charts of documents.make_chart."""
from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

from pipeline import dutch

# One colour per series, the first the documents' blue; distinguishable in grey print too.
COLOURS = ("#1F4E79", "#9DC3E6", "#C55A11", "#F4B183", "#548235", "#A9D18E", "#7F7F7F")


def series_chart(spec: dict, path: Path) -> Path:
    """A horizontal bar chart of several series as PNG, byte-for-byte the same for the same spec.

    spec: titel, labels (one per bar group), reeksen (each naam and waarden, one per label, as decimal strings),
    gestapeld (True: the series stacked into one bar per label; False: side by side)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    labels = [textwrap.shorten(label, 40, placeholder="…") for label in spec["labels"]]
    series = [(textwrap.shorten(s["naam"], 46, placeholder="…"), [float(Decimal(v)) for v in s["waarden"]]) for s in spec["reeksen"]]
    stacked = bool(spec.get("gestapeld"))
    per_group = 1 if stacked else len(series)
    with matplotlib.rc_context({"svg.hashsalt": "npo-inhuur", "font.family": "DejaVu Sans", "font.size": 8}):
        legend_rows = (len(series) + 1) // 2
        fig = Figure(figsize=(6.3, 1.0 + 0.22 * legend_rows + (0.3 if stacked else 0.2) * len(labels) * max(per_group, 1.5)), dpi=150)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        height = 0.7 / per_group
        left = [0.0] * len(labels)
        for i, (name, values) in enumerate(series):
            colour = COLOURS[i % len(COLOURS)]
            if stacked:
                ax.barh(range(len(labels)), values, left=left, color=colour, height=0.6, label=name)
                left = [a + b for a, b in zip(left, values)]
            else:
                ys = [y - 0.35 + height * (i + 0.5) for y in range(len(labels))]
                ax.barh(ys, values, color=colour, height=height, label=name)
        top = max(left if stacked else [v for _, vs in series for v in vs] or [0.0])
        if stacked:  # the total of each bar, from the exact amounts
            sums = [sum((Decimal(s["waarden"][i]) for s in spec["reeksen"]), Decimal(0)) for i in range(len(labels))]
            for y, (v, exact) in enumerate(zip(left, sums)):
                if v > 0:
                    ax.text(v + top * 0.01, y, dutch.format_euro(exact), va="center", fontsize=7)
        ax.set_yticks(range(len(labels)), labels)
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.2 if top > 0 else 1)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: "€\u00a0" + dutch.format_number(Decimal(str(x)))))
        fig.suptitle(spec["titel"], x=0.01, ha="left", fontsize=9, fontweight="bold", color="#1F4E79")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.legend(loc="upper center", bbox_to_anchor=(0.4, -0.08), ncol=2, frameon=False, fontsize=7)
        fig.tight_layout()
        fig.savefig(path, format="png", metadata={"Software": None})
    return path
