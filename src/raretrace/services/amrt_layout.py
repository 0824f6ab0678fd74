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
    ("comments", "comment"),
)
PRODUCT_FIELDS: tuple[tuple[str, str], ...] = (
    ("manufacturer's product number", "number"),
    ("manufacturer's product name", "name"),
    ("requester's product number", "requester_number"),
    ("requester's product name", "requester_name"),
    ("comments", "comment"),
)
