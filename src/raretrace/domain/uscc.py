"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from the 31-character set ``0-9`` and ``A-Z`` without I, O, Z, S, V:

* position 1: registration management department code (登记管理部门代码),
* position 2: organisation category code (机构类别代码),
* positions 3-8: administrative division code (登记管理机关行政区划码), digits,
* positions 9-17: organisation code (主体标识码, GB 11714),
* position 18: check character (校验码) = ``31 - (sum(value(c_i) * 3**(i-1) mod 31) mod 31)``,
  31 written as ``0``.

Source: GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》 §4 (code structure) and
§5 / Annex (check-character algorithm; weights 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25,
13, 8, 24, 10, 30, 28 are 3**i mod 31). regime.md §9.6 names the code as a field of the
exporter's identity on the licence face.
"""

from __future__ import annotations

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(CHARSET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def check_character(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def validate_uscc(text: str) -> str:
    """The code in upper case; ``ValueError`` naming the first bad position otherwise."""
    code = text.strip().upper()
    if len(code) != 18:
        raise ValueError(
            f"{text!r} is not a unified social credit code: {len(code)} characters, "
            "GB 32100-2015 codes have 18"
        )
    for pos, ch in enumerate(code, 1):
        if ch not in _VALUE:
            raise ValueError(
                f"{text!r}: character {pos} is {ch!r}, not one of the GB 32100-2015 "
                "characters 0-9 and A-Z without I, O, S, V, Z"
            )
    for pos in range(3, 9):
        if not code[pos - 1].isdigit():
            raise ValueError(
                f"{text!r}: character {pos} is {code[pos - 1]!r}; positions 3-8 are the "
                "administrative division code (digits)"
            )
    want = check_character(code[:17])
    if code[17] != want:
        raise ValueError(
            f"{text!r}: check character (position 18) is {code[17]!r}, "
            f"GB 32100-2015 gives {want!r} for the first 17 characters"
        )
    return code
