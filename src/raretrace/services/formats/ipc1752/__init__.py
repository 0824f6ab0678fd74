"""IPC-1752A Class C/D material declarations: read (safely), validate, import, export.

Modules: ``schema`` (namespace, safe parser, the XSD), ``parse`` (bounds, parse,
validation), ``to_domain`` (elements -> declaration records), ``importing`` (into the
network), ``export`` (a part as a Class D declaration).

Reading is defensive: the file size is capped, DTDs are refused outright (that closes
entity expansion and external entities), lxml runs with ``resolve_entities=False``,
``no_network=True`` and ``huge_tree=False`` (libxml2's depth and text-size limits), and
the document is validated against ``schemas/ipc1752a.xsd``. Every problem comes back as
a located ``Problem(file, line, element/@attribute, message)`` inside one
``InputError``; no lxml exception escapes.

Import goes through the same merge -> ``validate_network`` -> diff -> upsert path as
bundles and surveys (``services/network/supplier_data.py``).
"""

from raretrace.services.formats.ipc1752.export import declaration_xml, export_part
from raretrace.services.formats.ipc1752.importing import (
    DeclarationImport,
    import_declaration,
    import_parsed,
)
from raretrace.services.formats.ipc1752.parse import (
    MAX_XML_BYTES,
    MAX_XML_TAGS,
    parse_declaration,
    read_declaration,
)
from raretrace.services.formats.ipc1752.schema import NS, schema
from raretrace.services.formats.ipc1752.to_domain import MASS_TOLERANCE

__all__ = [
    "MASS_TOLERANCE",
    "MAX_XML_BYTES",
    "MAX_XML_TAGS",
    "NS",
    "DeclarationImport",
    "declaration_xml",
    "export_part",
    "import_declaration",
    "import_parsed",
    "parse_declaration",
    "read_declaration",
    "schema",
]
