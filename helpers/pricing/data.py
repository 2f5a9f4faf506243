"""The prices and billing rules (from `helpers/data/prices.json`), and the checks on inputs.

Prices are read as `Decimal` so sums match AWS's worked examples to the cent. Every check raises
a ValueError that says what is allowed.
"""

from __future__ import annotations

import json
import numbers
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent.parent / "data"
PRICES: dict[str, Any] = json.loads((DATA / "prices.json").read_text(), parse_float=Decimal)
# Read as data, not via helpers.limits, which would import moto just to price a function.
LIMITS: dict[str, Any] = json.loads((DATA / "limits.json").read_text())["limits"]

ARCHITECTURES = ("x86_64", "arm64")
REGIONS = tuple(PRICES["regions"])
MONTH_HOURS = 730  # the average month, 365 * 24 / 12: a modelling convention, not an AWS price
ZERO = Decimal(0)
CENT = Decimal("0.01")


def rule(name: str) -> Any:
    """One billing rule's value, e.g. `rule("free_tier_requests")` → 1000000."""
    return PRICES["rules"][name]["value"]


def price(name: str, region: str = "us-east-1") -> Decimal:
    """One flat price of a region in USD, e.g. `price("ephemeral_storage_gb_s")`."""
    return PRICES["regions"][check_region(region)][name]["value"]


def cents(amount: Decimal) -> Decimal:
    """An amount rounded to the cent, half up, as AWS prints it."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def dec(value: float | Decimal) -> Decimal:
    """A number as an exact Decimal (floats through their shortest text, so 0.1 stays 0.1)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def billed_ms(duration_ms: float | Decimal) -> Decimal:
    """What one invocation is billed for: whole milliseconds, rounded up, at least 1 ms."""
    return max(Decimal(1), dec(duration_ms).to_integral_value(rounding=ROUND_CEILING))


def quantity_text(value: Decimal) -> str:
    """A quantity for people: 1,000,000 or 0.123."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def money_text(amount: Decimal) -> str:
    """USD for people: to the cent, or to two significant digits below a cent ($0.00000065)."""
    if not amount or abs(amount) >= CENT:
        return f"${cents(amount):,.2f}"
    return f"${amount:.{1 - amount.adjusted()}f}"


def check_region(region: str) -> str:
    """The region, if prices.json has its prices."""
    if region not in PRICES["regions"]:
        raise ValueError(
            f"region must be one of {', '.join(REGIONS)} (the regions with sourced prices in "
            f"helpers/data/prices.json), got {region!r}"
        )
    return region


def check_architecture(architecture: str) -> str:
    """The architecture, if Lambda has it."""
    if architecture not in ARCHITECTURES:
        raise ValueError(f"architecture must be 'x86_64' or 'arm64', got {architecture!r}")
    return architecture


def check_amount(name: str, value: Any, high: Any = None, why: str = "") -> Decimal:
    """A number from 0 (to `high`), as a Decimal."""
    # numbers.Real takes numpy's numbers too (np.logspace, a DataFrame column); not bools.
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal) or value != value:
        raise ValueError(f"{name} must be a number, got {value!r}")
    if value < 0 or (high is not None and value > high):
        limit = f"from 0 to {quantity_text(dec(high))}{why}" if high is not None else "0 or more"
        raise ValueError(f"{name} must be {limit}, got {value!r}")
    return dec(value)


def _megabytes(name: str, value: Any, low: int, high: int, what: str) -> int:
    whole = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if not whole or not low <= value <= high:
        raise ValueError(
            f"{name} must be a whole number of MB from {low} to {high} ({what}), got {value!r}"
        )
    return int(value)


def check_memory(memory_mb: Any) -> int:
    """A MemorySize AWS accepts (128-10,240 MB)."""
    low, high = LIMITS["memory_mb_min"]["value"], LIMITS["memory_mb_max"]["value"]
    return _megabytes("memory_mb", memory_mb, low, high, "Lambda's MemorySize range")


def check_ephemeral(ephemeral_mb: Any) -> int:
    """An ephemeral storage size AWS accepts (512-10,240 MB)."""
    low = LIMITS["ephemeral_storage_mb_min"]["value"]
    high = LIMITS["ephemeral_storage_mb_max"]["value"]
    return _megabytes("ephemeral_storage_mb", ephemeral_mb, low, high, "Lambda's /tmp range")


def check_duration(name: str, duration_ms: Any) -> Decimal:
    """A duration one invocation can last (0 to the 15-minute timeout)."""
    timeout_ms = LIMITS["timeout_s_max"]["value"] * 1000
    return check_amount(name, duration_ms, timeout_ms, " ms, Lambda's 15-minute timeout")
