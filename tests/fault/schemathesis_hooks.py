"""schemathesis hooks for pgactive-server (loaded through SCHEMATHESIS_HOOKS).

/history and /history/links answer 400 when a range starts after its end. OpenAPI cannot state a
rule between two parameters, so such queries are not generated: they would be reported as valid
data rejected. Times are read as the server reads them (epoch ms, or ISO 8601 in UTC; day 31 of
any month rolls over, as JavaScript's Date.parse does).
"""
import re

import schemathesis

RANGES = {"/history": ("from", "to"), "/history/links": ("since", "until")}
ISO = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?"
    r"([Zz]|([+-])([0-9]{2}):?([0-9]{2}))?)?$"
)


def days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (any year, day may overflow)."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def epoch_ms(value):
    if not isinstance(value, str):
        return None
    if re.fullmatch(r"[0-9]{1,15}", value):
        return int(value)
    m = ISO.match(value)
    if m is None:
        return None
    y, mo, d, h, mi, s, frac, _, sign, oh, om = m.groups()
    seconds = days_from_civil(int(y), int(mo), 1) * 86400 + (int(d) - 1) * 86400
    seconds += int(h or 0) * 3600 + int(mi or 0) * 60 + int(s or 0)
    if sign:
        offset = int(oh) * 3600 + int(om) * 60
        seconds -= offset if sign == "+" else -offset
    return seconds * 1000 + int((frac or "0")[:3].ljust(3, "0"))


@schemathesis.hook
def filter_query(ctx, query):
    names = RANGES.get(ctx.operation.path)
    if not names or not query:
        return True
    start, end = (epoch_ms(query.get(n)) for n in names)
    return start is None or end is None or start <= end
