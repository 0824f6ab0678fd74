"""Filing particulars of parties and parts in a bundle: optional columns, located errors
for a malformed unified social credit code or telephone, lossless round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from factories import TINY, write_bundle_files
from raretrace.errors import BundleError
from raretrace.services.formats.bundle import read_bundle, write_bundle

USCC = "91150200508416830H"  # fictional (sample world): valid GB 32100-2015 check character
PARTIES = """party_id,name,country,roles,name_zh,address,address_zh,uscc,contact,telephone
MINE,Example Mining Co,AU,mine,,,,,,
SEP,Example Separation Sdn Bhd,MY,separator,,,,,,
MAG,Example Magnet KK,JP,magnet_maker,示例磁业有限公司,"No. 1 Example Road, Baotou",包头市示例路1号,{uscc},王明,+86 472 000 0101 ext 12
OEM,Example Motors AG,DE,oem;assembler,,,,,,{phone}
"""


def _bundle(tmp_path: Path, uscc: str = USCC, phone: str = "") -> Path:
    return write_bundle_files(
        tmp_path / "b", TINY | {"parties.csv": PARTIES.format(uscc=uscc, phone=phone)}
    )


def test_particulars_are_read_and_written_back(tmp_path: Path) -> None:
    net = read_bundle(_bundle(tmp_path)).network
    mag = next(p for p in net.parties if p.party_id == "MAG")
    assert (mag.name_zh, mag.uscc, mag.contact) == ("示例磁业有限公司", USCC, "王明")
    assert mag.address_zh == "包头市示例路1号" and mag.telephone.endswith("ext 12")
    assert next(p for p in net.parties if p.party_id == "OEM").uscc == ""
    for target in (tmp_path / "out", tmp_path / "out.xlsx"):
        write_bundle(net, target)
        again = read_bundle(target).network
        assert sorted(again.parties, key=lambda p: p.party_id) == sorted(
            net.parties, key=lambda p: p.party_id
        )


@pytest.mark.parametrize(
    ("uscc", "phone", "column", "message"),
    [
        (USCC[:17] + "0", "", "uscc", "check character (position 18) is '0'"),
        (USCC[:5] + "O" + USCC[6:], "", "uscc", "character 6 is 'O'"),
        ("9115020050841683", "", "uscc", "16 characters"),
        (USCC, "call Anna", "telephone", "is not a telephone number"),
    ],
)
def test_malformed_particulars_are_located(
    tmp_path: Path, uscc: str, phone: str, column: str, message: str
) -> None:
    with pytest.raises(BundleError) as info:
        read_bundle(_bundle(tmp_path, uscc, phone))
    (problem,) = info.value.problems
    assert problem.file.endswith("parties.csv") and problem.column == column
    assert problem.row == (4 if column == "uscc" else 5)
    assert message in problem.message
