"""The RMI AMRT 1.3 layout as raretrace reads and writes it.

RMI's Additional Minerals Reporting Template (AMRT, revision 1.3, 17 October 2025) is
the only RMI template whose mineral list includes "Rare Earth Elements". Its sheets:
Revision, Instructions, Definitions, Declaration, Minerals Scope, Smelter List, Mine
List, Product List, Smelter Look-up, Checker. Layout as documented by public
implementations of the template (e.g. github.com/cirscn/cm-reporting, its AMRT PRD and
version registry) and shared with CMRT/EMRT:

- Declaration: questions in column B, answers in column D; company block (Company
  Name (*), Declaration Scope or Class (*), Company Unique ID, Address, Contact Name
  (*), Email - Contact (*), Phone - Contact (*), Authorizer (*), Title - Authorizer,
  Email - Authorizer (*), Phone - Authorizer, Effective Date (*)); the minerals in
  scope (up to 10) in D12:I13; then question 1 ("intentionally added or used ...?",
  Yes / No / Unknown / Not declaring) and question 2 (share of relevant suppliers that
  responded) with one row per mineral: mineral in column C, answer in D, comment in E.
- Smelter List (1.3): header row 4, answers from row 5; columns Smelter Identification
  Number Input Column, Metal (*), Smelter Look-up (*), Smelter Name (1), Smelter
  Country (*), Smelter Identification, Source of Smelter Identification Number, Smelter
  Street, Smelter City, Smelter Facility Location: State / Province, contact, proposed
  next steps, mine name, mine country, 100 % recycled?, Comments.
- Product List (1.3): header row 5; Manufacturer's Product Number (*), Manufacturer's
  Product Name, Requester's Product Number, Requester's Product Name, Comments.
- Mine List (1.3): header row 4, answers from row 5 (2,500 rows); columns A-M: Metal,
  Name of Smelter(s) sourcing from this Mine Facility (a drop-down of the Smelter List's
  smelters), Mine Facility (Site) Name, Mine Identification (e.g. CID), Source of Mine
  Facility Identification Number, Mine Facility Country (a drop-down of RMI's country
  names, e.g. "CHINA"), Mine Facility Street, Mine Facility City, Mine Facility
  Location: State / Province, Mine Facility Contact Name, Mine Facility Contact Email,
  Proposed next steps, Comments; then helper columns (Country Code ...).
- Smelter Look-up (1.3): RMI's list of known smelters and their aliases when the
  template was released; header row 4, columns A-I: Metal, Smelter Look-up (*) (the
  alias chosen in the Smelter List), Standard Smelter Names, Smelter Facility Location:
  Country, Smelter ID (RMI's CID), Source of Smelter Identification Number, Smelter
  Street, Smelter City, Smelter Facility Location: State / Province. The Smelter List
  fills a row from it by Excel formulas when a supplier types a CID in column A or
  picks an alias in column C.

RMI's workbook writes its headings by formula in the language chosen on the Revision
sheet, and keeps the last computed text: a workbook saved in Chinese has Chinese
headings. When no English heading is found, the reader falls back to the 1.3 column
positions below (header row 4).

The reader finds header rows and questions by their text (not fixed cells), so small
layout shifts between revisions do not break it. RMI's own workbook is not shipped.
"""

from __future__ import annotations

REE = "Rare Earth Elements"
REVISION = "1.3"

DECLARATION_ROWS: tuple[tuple[int, str, str], ...] = (
    # (row, label in column B, key)
    (8, "Company Name (*):", "company_name"),
    (9, "Declaration Scope or Class (*):", "scope"),
    (10, "Description of Scope:", "scope_description"),
    (12, "Select your company's minerals/metals in scope (up to 10) (*):", "minerals"),
    (17, "Company Unique ID:", "company_id"),
    (18, "Company Unique ID Authority:", "company_id_authority"),
    (19, "Address:", "address"),
    (20, "Contact Name (*):", "contact_name"),
    (21, "Email - Contact (*):", "contact_email"),
    (22, "Phone - Contact (*):", "contact_phone"),
    (23, "Authorizer (*):", "authorizer"),
    (24, "Title - Authorizer:", "authorizer_title"),
    (25, "Email - Authorizer (*):", "authorizer_email"),
    (26, "Phone - Authorizer:", "authorizer_phone"),
    (27, "Effective Date (*):", "effective_date"),
)
Q1 = (
    "1) Is any of the following minerals/metals intentionally added or used in the "
    "product(s) or in the production process? (*)"
)
Q2 = (
    "2) What percentage of relevant suppliers have provided a response to your supply chain survey?"
)
Q1_ROW = 30
Q1_ANSWERS = ("Yes", "No", "Unknown", "Not declaring")
Q2_ANSWERS = (
    "100%",
    "Greater than 90%",
    "Greater than 75%",
    "Greater than 50%",
    "50% or less",
    "None",
    "Unknown",
    "Did not survey",
)
SCOPES = ("A. Company", "B. Product (or List of Products)", "C. User defined")

SMELTER_HEADER_ROW = 4
SMELTER_COLUMNS = (
    "Smelter Identification Number Input Column",
    "Metal (*)",
    "Smelter Look-up (*)",
    "Smelter Name (1)",
    "Smelter Country (*)",
    "Smelter Identification",
    "Source of Smelter Identification Number",
    "Smelter Street",
    "Smelter City",
    "Smelter Facility Location: State / Province",
    "Smelter Contact Name",
    "Smelter Contact Email",
    "Proposed next steps",
    "Name of Mine(s) or if recycled or scrap sourced, enter 'recycled' or 'scrap'",
    "Location (Country) of Mine(s) or if recycled or scrap sourced, enter 'recycled' or 'scrap'",
    "Does 100% of the smelter's feedstock originate from recycled or scrap sources?",
    "Comments",
)
PRODUCT_HEADER_ROW = 5
PRODUCT_COLUMNS = (
    "Manufacturer's Product Number (*)",
    "Manufacturer's Product Name",
    "Requester's Product Number",
    "Requester's Product Name",
    "Comments",
)

#: Header text (lower case, start of the cell) -> our field, for the Smelter List.
SMELTER_FIELDS: tuple[tuple[str, str], ...] = (
    ("smelter identification number input", "id_input"),
    ("metal", "metal"),
    ("smelter look-up", "lookup"),
    ("smelter name", "name"),
    ("smelter country", "country"),
    ("smelter identification", "smelter_id"),
    ("source of smelter identification", "id_source"),
    ("smelter street", "street"),
    ("smelter city", "city"),
    ("smelter facility location: state", "state"),
    ("name of mine", "mine_names"),
    ("location (country) of mine", "mine_countries"),
    ("does 100%", "recycled"),
    ("comments", "comment"),
)
#: The Smelter List's fields by 1.3 column position (A, B, ...), for headings not in
#: English.
SMELTER_POSITIONS = (
    "id_input", "metal", "lookup", "name", "country", "smelter_id", "id_source", "street",
    "city", "state", "contact", "email", "next_steps", "mine_names", "mine_countries",
    "recycled", "comment",
)  # fmt: skip

MINE_HEADER_ROW = 4
MINE_COLUMNS = (
    "Metal",
    "Name of Smelter(s) sourcing from this Mine Facility",
    "Mine Facility (Site) Name",
    "Mine Identification (e.g. CID)",
    "Source of Mine Facility Identification Number",
    "Mine Facility Country",
    "Mine Facility Street",
    "Mine Facility City",
    "Mine Facility Location: State / Province",
    "Mine Facility Contact Name",
    "Mine Facility Contact Email",
    "Proposed next steps",
    "Comments",
)
MINE_FIELDS: tuple[tuple[str, str], ...] = (
    ("metal", "metal"),
    ("name of smelter", "smelters"),
    ("mine facility (site) name", "name"),
    ("mine identification", "mine_id"),
    ("source of mine", "id_source"),
    ("mine facility country", "country"),
    ("mine facility street", "street"),
    ("mine facility city", "city"),
    ("mine facility location: state", "state"),
    ("mine facility contact name", "contact"),
    ("mine facility contact email", "email"),
    ("proposed next steps", "next_steps"),
    ("comments", "comment"),
)
MINE_POSITIONS = tuple(field for _, field in MINE_FIELDS)

LOOKUP_HEADER_ROW = 4
LOOKUP_FIELDS: tuple[tuple[str, str], ...] = (
    ("metal", "metal"),
    ("smelter look-up", "lookup"),
    ("standard smelter name", "name"),
    ("smelter facility location: country", "country"),
    ("smelter id", "smelter_id"),
    ("source of smelter identification", "id_source"),
    ("smelter street", "street"),
    ("smelter city", "city"),
    ("smelter facility location: state", "state"),
)
LOOKUP_POSITIONS = tuple(field for _, field in LOOKUP_FIELDS)
#: Look-up answers that name no smelter.
NOT_A_SMELTER = ("smelter not listed", "smelter not yet identified")
#: Mine List / Smelter List answers that name no mine (RMI's instructions).
NOT_A_MINE = ("recycled", "scrap", "unknown", "rcoi confirmed as per rmi")
#: The Product List's fields by position in RMI's 1.3 workbook (header row 5, columns B-F;
#: column A is blank), for headings not in English.
PRODUCT_POSITIONS = ("", "number", "name", "requester_number", "requester_name", "comment")
PRODUCT_FIELDS: tuple[tuple[str, str], ...] = (
    ("manufacturer's product number", "number"),
    ("manufacturer's product name", "name"),
    ("requester's product number", "requester_number"),
    ("requester's product name", "requester_name"),
    ("comments", "comment"),
)
