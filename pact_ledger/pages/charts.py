"""Charts drawn on the server as inline SVG: no script, no external asset, printable.

Each function returns SVG markup built from numbers and escaped text only. Colours are
presentation attributes (a strict Content-Security-Policy allows them; style attributes it
would not), and every mark has a <title> so the picture reads without colour too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

PHASE_COLOURS = {
    "SCREENING": "#8fb8de", "EURODAC": "#b4a7d6", "ACCESS": "#9fd3c7", "RESPONSIBILITY": "#f3d19c",
    "EXAMINATION": "#a8d08d", "REMEDIES": "#f4a582", "AFTER_DECISION": "#c9c9c9",
    "RELOCATION": "#d5a6bd",
    "SAFEGUARDS": "#ffe599", "MONITORING": "#76a5af", "WITHDRAWAL": "#e06666",  # issue 11 p5
}
STATUS_COLOURS = {"MET": "#2e7d32", "MET_LATE": "#c62828", "BREACHED": "#c62828",
                  "RUNNING": "#1565c0", "STOPPED": "#757575", "EXPIRED": "#757575"}


def _t(text: object) -> str:
    return escape(str(text), quote=True)


@dataclass(frozen=True)
class Step:
    at: datetime
    phase: str
    label: str
    late: bool


@dataclass(frozen=True)
class Span:
    label: str
    start: datetime
    due: datetime
    met: datetime | None
    status: str


class _Axis:
    def __init__(self, start: datetime, end: datetime, left: float, width: float) -> None:
        if end <= start:
            end = start + timedelta(days=1)
        self.start, self.end, self.left, self.width = start, end, left, width

    def x(self, moment: datetime) -> float:
        share = (moment - self.start) / (self.end - self.start)
        return round(self.left + max(0.0, min(1.0, share)) * self.width, 1)

    def ticks(self, count: int = 6) -> list[datetime]:
        step = (self.end - self.start) / count
        return [self.start + step * i for i in range(count + 1)]


def procedure_chart(steps: Sequence[Step], spans: Sequence[Span], now: datetime,
                    width: int = 960) -> str:
    """The procedure over time: phases as bands, each step a mark (hollow when recorded late),
    each deadline a bar from its start to its due moment, with when it was met or how long it
    is overdue."""
    if not steps:
        return ""
    moments = [s.at for s in steps] + [m for d in spans for m in (d.start, d.due, d.met) if m]
    unmet_overdue = any(d.status == "BREACHED" and d.met is None for d in spans)
    end = max(moments + ([now] if unmet_overdue else []))
    left, right = 170, 45
    axis = _Axis(min(moments), end + (end - min(moments)) * 0.02, left, width - left - right)
    row, top = 22, 30
    height = top + row * (2 + len(spans)) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} '
           f'{height}" width="100%" role="img" aria-label="The procedure over time">']
    for tick in axis.ticks():
        x = axis.x(tick)
        out.append(f'<line x1="{x}" y1="{top - 6}" x2="{x}" y2="{height - 24}" '
                   'stroke="#ddd" stroke-width="1"/>')
        out.append(f'<text x="{x}" y="{height - 8}" font-size="11" text-anchor="middle" '
                   f'fill="#444">{tick:%Y-%m-%d}</text>')
    # Phases: each step's phase lasts until the next step.
    out.append(f'<text x="{left - 8}" y="{top + 15}" font-size="12" text-anchor="end">'
               'phases</text>')
    for i, s in enumerate(steps):
        x1 = axis.x(s.at)
        x2 = axis.x(steps[i + 1].at) if i + 1 < len(steps) else axis.x(axis.end)
        colour = PHASE_COLOURS.get(s.phase, "#ddd")
        out.append(f'<rect x="{x1}" y="{top}" width="{max(x2 - x1, 1.5)}" height="{row - 4}" '
                   f'fill="{colour}"><title>{_t(s.phase)} from {s.at:%Y-%m-%d %H:%M} UTC'
                   '</title></rect>')
    y = top + row
    out.append(f'<text x="{left - 8}" y="{y + 15}" font-size="12" text-anchor="end">'
               'steps</text>')
    for s in steps:
        x = axis.x(s.at)
        fill = "#fff" if s.late else "#263238"
        out.append(f'<circle cx="{x}" cy="{y + 9}" r="4.5" fill="{fill}" stroke="#263238" '
                   f'stroke-width="1.5"><title>{_t(s.label)} {s.at:%Y-%m-%d %H:%M} UTC'
                   f'{" (recorded late)" if s.late else ""}</title></circle>')
    for i, d in enumerate(spans):
        y = top + row * (2 + i)
        colour = STATUS_COLOURS.get(d.status, "#1565c0")
        x1, x2 = axis.x(d.start), axis.x(d.due)
        out.append(f'<text x="{left - 8}" y="{y + 14}" font-size="11" text-anchor="end">'
                   f'{_t(d.label)}</text>')
        out.append(f'<rect x="{x1}" y="{y + 4}" width="{max(x2 - x1, 1.5)}" height="{row - 10}" '
                   f'fill="{colour}" fill-opacity="0.35" stroke="{colour}">'
                   f'<title>{_t(d.label)}: {d.start:%Y-%m-%d} to {d.due:%Y-%m-%d}, '
                   f'{_t(d.status)}</title></rect>')
        finish = d.met or (now if d.status == "BREACHED" else None)
        if finish is not None and finish > d.due:  # overdue: from due to met (or now)
            out.append(f'<rect x="{x2}" y="{y + 4}" width="{max(axis.x(finish) - x2, 1.5)}" '
                       f'height="{row - 10}" fill="#c62828" fill-opacity="0.8">'
                       f'<title>{_t(d.label)} overdue</title></rect>')
        if d.met is not None:
            out.append(f'<path d="M{axis.x(d.met)} {y + 2} l5 8 l-5 8 l-5 -8 z" fill="{colour}">'
                       f'<title>met {d.met:%Y-%m-%d %H:%M} UTC</title></path>')
    out.append("</svg>")
    return "".join(out)


def bar_chart(values: Mapping[str, int], label: str, colour: str = "#1565c0",
              width: int = 640) -> str:
    """Horizontal bars, one per key, each with its number."""
    if not values:
        return ""
    left, row = 210, 22
    most = max(values.values()) or 1
    height = row * len(values) + 10
    span = width - left - 60
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} '
           f'{height}" width="{width}" role="img" aria-label="{_t(label)}">']
    for i, (key, n) in enumerate(values.items()):
        y = 5 + i * row
        w = round(span * n / most, 1)
        out.append(f'<text x="{left - 8}" y="{y + 14}" font-size="12" text-anchor="end">'
                   f'{_t(key)}</text>')
        out.append(f'<rect x="{left}" y="{y + 2}" width="{max(w, 1)}" height="{row - 6}" '
                   f'fill="{colour}"><title>{_t(key)}: {n}</title></rect>')
        out.append(f'<text x="{left + w + 6}" y="{y + 14}" font-size="12">{n}</text>')
    out.append("</svg>")
    return "".join(out)


def capacity_gauge(in_procedure: int, capacity: int | None, width: int = 640) -> str:
    """Border-procedure places used against the adequate capacity (APR Art 47)."""
    height, left, span = 46, 10, width - 20
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} '
           f'{height}" width="{width}" role="img" aria-label="Border capacity used">']
    if capacity:
        share = in_procedure / capacity
        used = round(span * min(share, 1.0), 1)
        colour = "#c62828" if share >= 1 else "#ef6c00" if share >= 0.8 else "#2e7d32"
        out.append(f'<rect x="{left}" y="6" width="{span}" height="20" fill="#eee" '
                   'stroke="#999"/>')
        out.append(f'<rect x="{left}" y="6" width="{max(used, 1)}" height="20" fill="{colour}">'
                   f'<title>{in_procedure} of {capacity}</title></rect>')
        out.append(f'<text x="{left}" y="42" font-size="12">{in_procedure} of {capacity} '
                   f'places ({share:.0%})</text>')
    else:
        out.append(f'<text x="{left}" y="24" font-size="12">{in_procedure} in the border '
                   'procedure; adequate capacity not configured</text>')
    out.append("</svg>")
    return "".join(out)
