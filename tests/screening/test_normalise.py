"""Name normalisation: scripts, legal forms, initials, acronyms in parentheses."""

from __future__ import annotations

import pytest

from raretrace.screening.normalise import name_variants, normalise


@pytest.mark.parametrize(
    ("name", "tokens", "forms"),
    [
        ("Gulf Gate Shipping Co. LLC", ("gulf", "gate", "shipping"), ("co", "llc")),
        ("GAZPROM TRANSGAZ VOLGOGRAD, OOO", ("gazprom", "transgaz", "volgograd"), ("ooo",)),
        ("A.C. International", ("ac", "international"), ()),
        ("GEFEST-M S.A.", ("gefest", "m"), ("sa",)),
        ("ООО Ромашка", ("romashka",), ("ooo",)),
        (
            "北京中科三环高技术股份有限公司",
            ("bei", "jing", "zhong", "ke", "san", "huan", "gao", "ji", "shu"),
            (),
        ),
        (
            "Beijing Hi-Tech Intl Co., Ltd.",
            ("beijing", "high", "technology", "international"),
            ("co ltd",),
        ),
        ("AKTSIONERNOE OBSHCHESTVO SHVABE", ("shvabe",), ("aktsionernoe obshchestvo",)),
    ],
)
def test_normalise(name: str, tokens: tuple[str, ...], forms: tuple[str, ...]) -> None:
    n = normalise(name)
    assert n.tokens == tokens
    assert n.legal_forms == forms


def test_short_forms_only_at_the_edges() -> None:
    # "san" / "as" in the middle of a name are words, not legal forms
    assert normalise("Zhong Ke San Huan").tokens == ("zhong", "ke", "san", "huan")
    assert normalise("Trading Sa Pa SA").tokens == ("trading", "sa", "pa")


def test_a_name_that_is_only_a_legal_form_keeps_it() -> None:
    assert normalise("Limited").tokens == ("limited",)


def test_initials() -> None:
    assert normalise("China Electronics Technology Corp").initials == "cet"
    assert normalise("CETC").initials == ""


def test_acronym_in_parentheses_becomes_a_name() -> None:
    variants = name_variants("Gulf Eagle Contracting (GEC)")
    assert variants == ("Gulf Eagle Contracting (GEC)", "Gulf Eagle Contracting", "GEC")
    # a distinguishing word in parentheses stays part of the name
    assert name_variants("GAZPROMBANK (SWITZERLAND) LTD") == ("GAZPROMBANK (SWITZERLAND) LTD",)


def test_british_and_american_spellings_and_abbreviations_of_organisation_words() -> None:
    # real rows: the UK list's AEROSPACE INDUSTRIES ORGANISATION (AIO, Iran) and THE
    # SPECIAL TECHNOLOGY CENTRE LLC next to the SDN's SPECIAL TECHNOLOGY CENTER
    listed = normalise("AEROSPACE INDUSTRIES ORGANISATION").tokens
    assert normalise("Aerospace Industries Organization").tokens == listed
    assert normalise("Aerospace Industries Org.").tokens == listed
    uk = normalise("THE SPECIAL TECHNOLOGY CENTRE LLC").tokens
    assert uk == normalise("SPECIAL TECHNOLOGY CENTER").tokens
    assert normalise("Ministry of Defence").tokens == normalise("Ministry of Defense").tokens
