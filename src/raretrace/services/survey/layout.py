"""The survey workbook's layout: sheets, columns, declaration questions, limits."""

from __future__ import annotations

from dataclasses import dataclass

from raretrace.domain.elements import RARE_EARTHS

MAX_WORKBOOK_BYTES = 50 * 1024**2
MAX_ROWS = 20_000
HEADER_ROW = 3
DEFAULT_CAMPAIGN = "rare-earths"

YES_NO = ("Yes", "No", "Unknown")
LICENCE = ("Yes", "No", "Not required", "Unknown")
MAGNET = ("NdFeB", "SmCo", "None", "Other")
SOURCE_ROLES = ("magnet_maker", "separator", "metal_alloy_maker", "mine")
BASIS = ("measured", "calculated", "estimated")
ELEMENT_CHOICES = (*RARE_EARTHS, "Co", "Fe", "B", "Cu", "Ni", "Ga", "Nb")


@dataclass(frozen=True, slots=True)
class Col:
    name: str
    help: str
    width: int = 16
    choices: str | None = None  #: name of a list on the Lists sheet
    required: bool = False


SHEETS: dict[str, tuple[Col, ...]] = {
    "Parts": (
        Col("part_id", "Buyer's part number (do not change)", 18, "parts", True),
        Col("part_name", "Description (for reference)", 30),
        Col("your_part_number", "Your own part number", 18),
        Col("part_mass_g", "Mass of one unit, g", 12),
        Col("contains_rare_earths", "Any rare earth in the part?", 14, "yes_no"),
        Col("magnet_type", "Magnet type, if any", 12, "magnet"),
        Col("magnet_mass_g", "Magnet mass per unit, g", 12),
        Col("chinese_export_licence", "Shipped under a Chinese export licence?", 16, "licence"),
        Col("licence_number", "Licence number", 18),
        Col("comment", "Comment", 30),
    ),
    "Content": (
        Col("part_id", "Buyer's part number", 18, "parts", True),
        Col("element", "Rare earth (or Co, Fe, B ...)", 10, "element", True),
        Col("mass_g_per_unit", "g of the element per unit (or one of the next two)", 14),
        Col("percent_of_part", "% of the part's mass", 12),
        Col("percent_of_magnet", "% of the magnet's mass (needs magnet_mass_g)", 14),
        Col("basis", "measured / calculated / estimated", 12, "basis"),
        Col("comment", "Comment", 30),
    ),
    "Sources": (
        Col("part_id", "Buyer's part number (empty = all parts)", 18, "parts"),
        Col("role", "Role in the chain", 18, "role", True),
        Col("company_name", "Company name", 28, None, True),
        Col("country", "Country (ISO alpha-2)", 9, "country", True),
        Col("party_id", "Buyer's id for the company, if shown", 16),
        Col("city", "City", 14),
        Col("company_name_zh", "Registered Chinese name (Chinese companies)", 24),
        Col("uscc", "Unified social credit code, 18 characters (Chinese companies)", 20),
        Col("chinese_export_licence", "Exports under a Chinese licence?", 16, "licence"),
        Col("licence_number", "Licence number", 18),
        Col("comment", "Comment", 30),
    ),
    "NextTier": (
        Col("company_name", "Your supplier's name", 28, None, True),
        Col("country", "Country (ISO alpha-2)", 9, "country", True),
        Col("party_id", "Buyer's id for the company, if shown", 16),
        Col("city", "City", 14),
        Col("supplies_part_id", "Part number it supplies to you", 18),
        Col("supplies_part_name", "Description of that part", 24),
        Col("share", "Share of your need for that part, 0-1", 10),
        Col("your_site_id", "Your site it delivers to", 16, "sites"),
        Col("contact_email", "Contact e-mail", 24),
        Col("comment", "Comment", 30),
    ),
}

DECLARATION_KEYS: tuple[tuple[str, str, str | None], ...] = (
    ("supplier_party_id", "Your id in the buyer's records (do not change)", None),
    ("campaign", "Survey campaign (do not change)", None),
    ("company_name", "Company name", None),
    ("country", "Country (ISO alpha-2)", "country"),
    ("contact_name", "Contact name", None),
    ("contact_email", "Contact e-mail", None),
    ("authorizer", "Name and title of the person authorising this declaration", None),
    ("answer_date", "Date of this answer (YYYY-MM-DD)", None),
    ("any_rare_earths", "Do any parts you supply to us contain rare earths?", "yes_no"),
    ("chinese_export_licence", "Do you ship to us under a Chinese export licence?", "licence"),
    ("licence_numbers", "Licence number(s), separated by ;", None),
)

INSTRUCTIONS = """Rare-earth supplier survey

China requires export licences for samarium, gadolinium, terbium, dysprosium,
lutetium, scandium and yttrium items (MOFCOM/GAC Announcement 2025 No. 18). To plan
licences and alternatives we need to know where these elements are in the parts you
supply to us, and who made the magnets and separated the rare earths.

1. Declaration: your company, contact, authoriser and the date of this answer.
2. Parts: one row per part you supply to us (pre-filled). Give the mass of one unit,
   whether it contains rare earths, the magnet type and magnet mass, and whether it
   is shipped under a Chinese export licence (with the licence number).
3. Content: one row per part and element. Give exactly one of: grams per unit,
   % of the part, or % of the magnet. Dysprosium and terbium matter most.
4. Sources: the magnet maker and the rare-earth separator behind each part, with
   country (like the smelter list of the RMI templates).
5. NextTier: your own suppliers of rare-earth-bearing parts.

Use the drop-downs. Type values, not formulas: formulas are not evaluated. Leave the
grey columns (part_id, supplier id) as they are. Rows pre-filled with what we already
know may be corrected: your answer replaces our record.
"""
