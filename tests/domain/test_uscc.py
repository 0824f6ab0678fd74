"""Unified social credit codes (GB 32100-2015): structure and check character, with the
bad position named."""

from __future__ import annotations

import pytest

from raretrace.domain.uscc import CHARSET, WEIGHTS, check_character, validate_uscc

# Fictional codes from the sample world (tools/build_sample_world.py: valid check
# character, deliberately invalid embedded organisation code).
HENGDA = "91150200508416830H"


def test_weights_are_powers_of_three_mod_31() -> None:
    assert WEIGHTS[:6] == (1, 3, 9, 27, 19, 26)
    assert len(CHARSET) == 31 and not set("IOSVZ") & set(CHARSET)


def test_check_character_by_hand() -> None:
    # 9*1 + 1*3 + 1*9 + 5*27 + 0*19 + 2*26 + 0*16 + 0*17 + 5*20 + 0*29 + 8*25 + 4*13
    # + 1*8 + 6*24 + 8*10 + 3*30 + 0*28 = 882; 882 mod 31 = 14; 31 - 14 = 17 -> "H"
    # (0-9 are 0-9, then A=10 ... H=17)
    total = sum(CHARSET.index(c) * w for c, w in zip(HENGDA[:17], WEIGHTS, strict=True))
    assert total == 882
    assert check_character(HENGDA[:17]) == "H" == HENGDA[17]


def test_valid_code_is_normalised() -> None:
    assert validate_uscc(" " + HENGDA.lower() + " ") == HENGDA


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (HENGDA[:17], "17 characters, GB 32100-2015 codes have 18"),
        (HENGDA[:9] + "I" + HENGDA[10:], "character 10 is 'I'"),
        (HENGDA[:3] + "A" + HENGDA[4:], "character 4 is 'A'; positions 3-8"),
        (HENGDA[:17] + "0", "check character (position 18) is '0', GB 32100-2015 gives 'H'"),
    ],
)
def test_bad_codes_name_the_position(code: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        validate_uscc(code)
