"""The example file of an import (python -m bot template NAME; /import in the bot):
the spec's template columns with its example rows, formatted for people."""

from __future__ import annotations

import datetime as dt
import io

from services.imports.spec import FileSpec, Kind


def filename(spec: FileSpec) -> str:
    return f"{spec.name}-template.xlsx"


def xlsx(spec: FileSpec) -> bytes:
    # openpyxl is imported when a file is made, not when the bot starts.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = spec.title[:31]
    columns = [spec.column(k) for k in spec.template]
    sheet.append([c.title for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for example in spec.examples:
        sheet.append([None if v == "" else v for v in example])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        longest = max(
            [len(column.title)] + [len(str(e[index - 1])) for e in spec.examples], default=10
        )
        sheet.column_dimensions[letter].width = min(max(12, longest + 2), 60)
        style = {Kind.DATE: "DD.MM.YYYY", Kind.TIME: "HH:MM"}.get(column.kind)
        if style:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell.value, dt.date | dt.time):
                    cell.number_format = style
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
