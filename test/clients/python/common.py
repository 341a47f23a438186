"""Shared helpers for the Python driver probes: print one JSON object per line, values as text."""
import datetime
import decimal
import json
import sys


def value(v):
    """A JSON-safe, driver-independent rendering: floats rounded to 6 places, times as UTC ISO."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "t" if v else "f"
    if isinstance(v, float):
        return repr(round(v, 6))
    if isinstance(v, decimal.Decimal):
        # Numeric values: integral ones as integers, others as floats rounded like floats.
        return str(int(v)) if v == v.to_integral_value() else repr(round(float(v), 6))
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc)
        return v.isoformat()
    if hasattr(v, "item"):  # numpy scalars from pandas
        return value(v.item())
    if hasattr(v, "to_pydatetime"):  # pandas Timestamp
        return value(v.to_pydatetime())
    return str(v)


def row(values):
    return [value(v) for v in values]


def emit(kind, **fields):
    print(json.dumps({"kind": kind, **fields}, ensure_ascii=False), flush=True)


def args():
    if len(sys.argv) < 3:
        print("usage: %s <url> <scenario> [sql]" % sys.argv[0], file=sys.stderr)
        sys.exit(2)
    return sys.argv[1], sys.argv[2], (sys.argv[3] if len(sys.argv) > 3 else "")
