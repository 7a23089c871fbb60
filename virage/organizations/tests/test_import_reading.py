"""Reading uploaded files: which files are accepted, and the clear message for each one that is not."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from virage.organizations import imports
from virage.organizations.imports import (
    FILE_DUPLICATE_COLUMN,
    FILE_EMPTY,
    FILE_ENCODING,
    FILE_MISSING_COLUMNS,
    FILE_NO_HEADER,
    FILE_NO_ROWS,
    FILE_NOT_SPREADSHEET,
    FILE_OLD_EXCEL,
    FILE_TOO_LARGE,
    FILE_TOO_MANY_ROWS,
    FILE_XLSX_UNREADABLE,
    ImportFileError,
    map_columns,
    read_table,
)

HEADER = ["type", "nom légal", "NEQ", "municipalité", "prénom du contact", "nom du contact", "courriel du contact"]
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def csv_bytes(rows, *, delimiter=",", encoding="utf-8", header=HEADER) -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def message_of(content: bytes, name: str = "organismes.csv") -> str:
    with pytest.raises(ImportFileError) as caught:
        read_table(content, name)
    return str(caught.value.message)


def test_comma_separated_utf8_file_is_read_with_spreadsheet_line_numbers():
    table = read_table(csv_bytes([["PME", "Atelier Boréal", "1170000029", "Saguenay", "", "", ""]]), "a.csv")
    assert table.headers == HEADER
    assert table.delimiter == ","
    assert table.rows == [(2, ["PME", "Atelier Boréal", "1170000029", "Saguenay", "", "", ""])]


def test_byte_order_mark_is_not_part_of_the_first_column_name():
    table = read_table(b"\xef\xbb\xbf" + csv_bytes([["PME", "Atelier", "", "Laval", "", "", ""]]), "a.csv")
    assert table.headers[0] == "type"
    assert map_columns(table.headers)["kind"] == 0


def test_semicolon_file_saved_by_french_excel_in_windows_1252_keeps_its_accents():
    content = csv_bytes(
        [["coopérative", "Coop de l'Île", "", "Montréal", "Zoé", "Bélanger", ""]], delimiter=";", encoding="cp1252"
    )
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    table = read_table(content, "export excel.csv")
    assert table.delimiter == ";"
    assert table.headers[1] == "nom légal"
    assert table.rows[0][1][:4] == ["coopérative", "Coop de l'Île", "", "Montréal"]


def test_tab_separated_utf16_file_from_excel_unicode_text_is_read():
    content = ("\ufeff" + "\t".join(HEADER) + "\r\n" + "\t".join(["PME", "Café Été", "", "Québec", "", "", ""])).encode(
        "utf-16-le"
    )
    table = read_table(b"\xff\xfe" + content[2:], "texte.txt")
    assert table.delimiter == "\t"
    assert table.rows[0][1][1] == "Café Été"


def test_quoted_cells_with_separators_and_line_breaks_keep_record_numbers():
    content = 'nom légal,municipalité\n"Centre ""Le Phare"", inc.",Rimouski\n"Deux\nlignes",Québec\n'.encode()
    table = read_table(content, "a.csv")
    assert table.rows == [(2, ['Centre "Le Phare", inc.', "Rimouski"]), (3, ["Deux\nlignes", "Québec"])]


def test_blank_lines_are_skipped_but_line_numbers_stay_those_of_the_spreadsheet():
    content = "nom légal,municipalité\n,\nCentre A,Laval\n\nCentre B,Lévis\n".encode()
    assert [line for line, _cells in read_table(content, "a.csv").rows] == [3, 5]


def test_excel_workbook_is_read_from_its_first_sheet_with_numbers_as_typed():
    table = read_table(xlsx_bytes([["PME", "Atelier Boréal", 1170000029, 94068, None, None, None]]), "a.xlsx")
    assert table.file_format == "xlsx"
    assert table.rows == [(2, ["PME", "Atelier Boréal", "1170000029", "94068", "", "", ""])]


def test_workbook_renamed_csv_is_still_read_as_a_workbook():
    table = read_table(xlsx_bytes([["PME", "Atelier", None, "Laval", None, None, None]]), "renamed.csv")
    assert table.file_format == "xlsx"


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n  "])
def test_empty_file_is_refused(content):
    assert message_of(content) == str(FILE_EMPTY)


def test_file_with_column_names_only_is_refused():
    assert message_of(csv_bytes([])) == str(FILE_NO_ROWS)


def test_workbook_with_nothing_in_it_is_refused():
    workbook = Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert message_of(buffer.getvalue(), "vide.xlsx") == str(FILE_NO_HEADER)


def test_picture_renamed_csv_is_refused_as_not_a_spreadsheet():
    assert message_of(PNG_BYTES + bytes(range(256)) * 4, "photo.csv") == str(FILE_NOT_SPREADSHEET)


def test_binary_junk_without_null_bytes_is_refused_as_not_a_spreadsheet():
    junk = bytes(range(1, 32)) * 200
    assert message_of(junk, "junk.csv") == str(FILE_NOT_SPREADSHEET)


def test_pdf_renamed_xlsx_is_refused_as_a_damaged_workbook():
    assert message_of(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "rapport.xlsx") == str(FILE_XLSX_UNREADABLE)


def test_truncated_workbook_is_refused():
    content = xlsx_bytes([["PME", "Atelier", None, "Laval", None, None, None]])
    assert message_of(content[: len(content) // 2], "coupé.xlsx") == str(FILE_XLSX_UNREADABLE)


def test_zip_archive_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("lisez-moi.txt", "bonjour")
    assert message_of(buffer.getvalue(), "archive.xlsx") == str(FILE_XLSX_UNREADABLE)


def test_old_excel_file_is_refused_with_how_to_save_it():
    assert message_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "vieux.xls") == str(FILE_OLD_EXCEL)


def test_text_in_no_known_encoding_is_refused():
    # 0x81 is undefined in Windows-1252 and invalid alone in UTF-8.
    assert message_of("nom légal,municipalité\n".encode() + b"Caf\x81,Laval\n") == str(FILE_ENCODING)


def test_file_over_the_size_limit_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    content = csv_bytes([["PME", "x" * 100, "", "Laval", "", "", ""]] * 11_000)
    assert len(content) > settings.IMPORT_MAX_BYTES
    assert message_of(content) == str(FILE_TOO_LARGE % {"limit": 1})


def test_file_over_the_row_limit_is_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = [["PME", f"Entreprise {n}", "", "Laval", "", "", ""] for n in range(4)]
    assert message_of(csv_bytes(rows)) == str(FILE_TOO_MANY_ROWS % {"limit": "3"})
    assert message_of(xlsx_bytes(rows), "a.xlsx") == str(FILE_TOO_MANY_ROWS % {"limit": "3"})
    assert len(read_table(csv_bytes(rows[:3]), "a.csv").rows) == 3


def test_missing_required_columns_are_named():
    with pytest.raises(ImportFileError) as caught:
        map_columns(["type", "NEQ", "adresse"])
    assert str(caught.value.message) == str(FILE_MISSING_COLUMNS % {"columns": "« nom légal », « municipalité »"})


def test_column_names_match_whatever_their_accents_case_dashes_or_language():
    positions = map_columns(["LEGAL NAME", "Municipalite", "Numéro d'entreprise du Québec (NEQ)", "E-mail", "Site-Web"])
    assert positions == {"legal_name": 0, "municipality": 1, "neq": 2, "email": 3, "website": 4}


def test_two_columns_for_the_same_information_are_refused():
    with pytest.raises(ImportFileError) as caught:
        map_columns(["nom légal", "municipalité", "ville"])
    assert str(caught.value.message) == str(FILE_DUPLICATE_COLUMN % {"first": "municipalité", "second": "ville"})


def test_no_accepted_column_name_belongs_to_two_columns():
    owners = {}
    for column in imports.COLUMNS:
        for name in column.accepted_names():
            assert owners.setdefault(name, column.key) == column.key, name


def test_workbook_line_numbers_count_the_blank_rows_and_a_long_blank_tail_ends_the_data(monkeypatch):
    monkeypatch.setattr(imports, "MAX_BLANK_ROWS", 5)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["nom légal", "municipalité"])
    sheet.append(["Centre A", "Laval"])
    sheet.append([None, None])
    sheet.append(["Centre B", "Lévis"])
    sheet.cell(row=30, column=1, value="Trop loin")
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue(), "a.xlsx")
    assert [line for line, _cells in table.rows] == [2, 4]


def test_csv_cell_too_long_to_be_real_is_refused_with_its_line():
    content = ('nom légal,municipalité\nA,Laval\n"' + "x" * 200_000 + '",Laval\n').encode()
    assert message_of(content) == str(imports.FILE_CSV_MALFORMED % {"line": 3})
