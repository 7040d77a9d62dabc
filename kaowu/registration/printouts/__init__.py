"""Registration printouts (REG-3, REG-8): the signed 承诺书 and the per-candidate archive bundle.

Each document is a Typst template plus a data map (`*_data`), rendered by `kaowu.kernel.pdf`; the data map is
the one place that reads the database, the template only lays out what it returns.
"""

from kaowu.registration.printouts.archive import archive_data, archive_download, archive_pdf
from kaowu.registration.printouts.commitment import (
    commitment_data,
    commitment_pdf,
    commitment_preview_data,
    commitment_preview_pdf,
)

__all__ = [
    "archive_data",
    "archive_download",
    "archive_pdf",
    "commitment_data",
    "commitment_pdf",
    "commitment_preview_data",
    "commitment_preview_pdf",
]
