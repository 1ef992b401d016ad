"""Validating import rows: each realistic mistake gives the expected report line."""

from __future__ import annotations

import codecs
from decimal import Decimal

from app.units.importing import (
    Ownership,
    ParseResult,
    UnitStatus,
    parse_file,
    parse_rows,
    read_table,
)
from tests.units.units_files import DISTRICTS, HEADER, csv_bytes, unit_row, xlsx_bytes


def parse(rows: list[list[object]], **options: object) -> ParseResult:
    return parse_file(csv_bytes(rows, **options), "eksport.csv", DISTRICTS)  # type: ignore[arg-type]


def report(result: ParseResult) -> list[tuple[int, str | None, str]]:
    return [(p.line, p.column, p.message) for p in result.problems]


def test_realistic_windows_1252_file_gives_typed_rows() -> None:
    rows = [
        unit_row(Adresse="Øvre Tistedalsgate 12", Bydel="tistedal"),
        unit_row(**{"Bruksenhetsnr": "h 0202", "BRA (m²)": "102,25 m²", "FDV-id": "E-2"}),
        unit_row(Bruksenhetsnr="U0101", Status="Ledig", Eierform="Innleid", **{"FDV-id": "E-3"}),
    ]
    for row in rows:
        row[HEADER.index("Adresse")] = "Øvre Tistedalsgate 12"
    result = parse(rows, encoding="cp1252")
    assert report(result) == []
    assert result.ok and result.rows_read == 3 and result.unknown_columns == ()
    first, second, third = result.rows
    assert (first.line, first.unit_number, first.floor, first.area) == (
        2,
        "H0101",
        1,
        Decimal("54.5"),
    )
    assert (second.unit_number, second.floor, second.area) == ("H0202", 2, Decimal("102.3"))
    assert (third.floor, third.status, third.ownership) == (0, UnitStatus.VACANT, Ownership.LEASED)
    assert (first.rooms, first.bedrooms, first.status) == (3, 2, UnitStatus.LET)
    building = first.building
    assert building is second.building is third.building
    assert result.buildings == (building,)
    assert building.key == ("id", "B-100")
    assert building.address == "Øvre Tistedalsgate 12"
    assert building.district == "Tistedal"  # the configured spelling
    assert (building.postal_code, building.place, building.has_lift) == ("1772", "Halden", False)
    assert (building.year_built, building.name, building.line) == (
        1967,
        "Tistedalsgata borettslag",
        2,
    )


def test_utf8_bom_comma_separated_with_decimal_comma_in_quotes() -> None:
    data = codecs.BOM_UTF8 + csv_bytes(
        [unit_row(Bydel="KORNSJØ", **{"BRA (m²)": "48,5"})], delimiter=","
    )
    result = parse_file(data, "eksport.csv", DISTRICTS)
    assert report(result) == []
    assert result.rows[0].area == Decimal("48.5")
    assert result.rows[0].building.district == "Kornsjø"


def test_invalid_unit_number() -> None:
    result = parse([unit_row(), unit_row(Bruksenhetsnr="X12", **{"FDV-id": "E-2"})])
    assert report(result) == [
        (
            3,
            "Bruksenhetsnr",
            "Ugyldig bruksenhetsnummer «X12»: forventet H, U, K eller L fulgt av fire sifre, "
            "f.eks. H0201",
        )
    ]
    assert [row.line for row in result.rows] == [2]


def test_negative_and_too_large_area() -> None:
    result = parse(
        [
            unit_row(**{"BRA (m²)": "-54,5"}),
            unit_row(Bruksenhetsnr="H0102", **{"BRA (m²)": "1 200", "FDV-id": "E-2"}),
            unit_row(Bruksenhetsnr="H0103", **{"BRA (m²)": "stor", "FDV-id": "E-3"}),
        ]
    )
    assert report(result) == [
        (2, "BRA (m²)", "Ugyldig areal «-54,5»: må være større enn 0 og mindre enn 1000 m²"),
        (3, "BRA (m²)", "Ugyldig areal «1 200»: må være større enn 0 og mindre enn 1000 m²"),
        (4, "BRA (m²)", "Ugyldig areal «stor»: forventet et tall, f.eks. 54,5"),
    ]
    assert result.rows == ()


def test_unknown_district() -> None:
    result = parse([unit_row(Bydel="Nordby")])
    assert report(result) == [
        (
            2,
            "Bydel",
            "Ukjent bydel «Nordby»: gyldige verdier er Sentrum, Brødløs, Tistedal, Idd, Kornsjø",
        )
    ]


def test_missing_required_columns_stop_the_parse() -> None:
    header = [name for name in HEADER if name not in ("Bydel", "Bruksenhetsnr")]
    rows = [[cell for name, cell in zip(HEADER, unit_row(), strict=True) if name in header]]
    result = parse(rows, header=header)
    assert report(result) == [
        (1, "bruksenhetsnummer", "Mangler påkrevd kolonne «bruksenhetsnummer»"),
        (1, "bydel", "Mangler påkrevd kolonne «bydel»"),
    ]
    assert result.rows == () and result.rows_read == 1


def test_duplicate_rows_name_the_earlier_line() -> None:
    result = parse(
        [
            unit_row(),
            unit_row(Bruksenhetsnr="H0102", **{"FDV-id": "E-2"}),
            unit_row(Bruksenhetsnr="h0101", **{"FDV-id": "E-3"}),  # same unit, other id
            unit_row(Bruksenhetsnr="H0103", **{"FDV-id": "E-2"}),  # same id, other unit
        ]
    )
    assert report(result) == [
        (
            4,
            "Bruksenhetsnr",
            "Dobbel rad: bruksenhet H0101 i Tistedalsgata 12 står også på linje 2",
        ),
        (5, "FDV-id", "Dobbel rad: ekstern id «E-2» står også på linje 3"),
    ]
    assert [row.line for row in result.rows] == [2, 3]


def test_buildings_without_id_match_on_normalised_address_and_postal_code() -> None:
    header = ["Adresse", "Postnr", "Bydel", "Bruksenhetsnummer"]
    rows = [
        ["Storgata 1 B", "1767", "Sentrum", "H0101"],
        ["storgata  1b", "1767", "Sentrum", "H0101"],
        ["Storgata 1 B", "1768", "Sentrum", "H0101"],  # another postal code: another building
    ]
    result = parse(rows, header=header)
    assert report(result) == [
        (3, "Bruksenhetsnummer", "Dobbel rad: bruksenhet H0101 i storgata 1b står også på linje 2")
    ]
    assert [b.key for b in result.buildings] == [
        ("address", "storgata 1b", "1767"),
        ("address", "storgata 1b", "1768"),
    ]
    assert result.rows[0].address_key == ("storgata 1b", "1767", "H0101")


def test_rows_of_one_building_must_agree() -> None:
    result = parse(
        [
            unit_row(Heis=""),
            unit_row(Bruksenhetsnr="H0102", Heis="ja", **{"FDV-id": "E-2"}),
            unit_row(Bruksenhetsnr="H0103", Bydel="Idd", Heis="nei", **{"FDV-id": "E-3"}),
        ]
    )
    assert report(result) == [
        (4, "Bydel", "Bydel «Idd» avviker fra «Tistedal» for samme bygg på linje 2"),
        (4, "Heis", "Heis «nei» avviker fra «ja» for samme bygg på linje 2"),
    ]
    # A blank cell is "not given": the building takes the value a later row gives.
    assert result.buildings[0].has_lift is True


def test_xlsx_with_title_row_numbers_from_excel_and_problems_on_sheet_rows() -> None:
    data = xlsx_bytes(
        [
            unit_row(Postnr=150, **{"BRA (m²)": 54.5, "Antall rom": 3, "Byggeår": 1967.0}),
            unit_row(
                Bruksenhetsnr="H0102", Postnr=150, Soverom=4, **{"Antall rom": 3, "FDV-id": "E-2"}
            ),
        ],
        title_rows=[["Boligregister Halden kommune, uttrekk fra FDV"]],
    )
    result = parse_file(data, "register.xlsx", DISTRICTS)
    assert result.header_line == 2
    assert report(result) == [
        (4, "Soverom", "Antall soverom (4) kan ikke være større enn antall rom (3)")
    ]
    (row,) = result.rows
    assert (row.line, row.building.postal_code, row.area, row.rooms) == (
        3,
        "0150",
        Decimal("54.5"),
        3,
    )
    assert row.building.year_built == 1967


def test_each_bad_cell_is_reported_with_its_value() -> None:
    header = [*HEADER, "Etasje", "Breddegrad", "Lengdegrad", "Gnr", "Bnr"]
    row = unit_row(
        Postnr="17670",
        Heis="kanskje",
        Byggeår="1500",
        Eierform="borettslag",
        Status="solgt",
        Soverom="to",
        **{"Antall rom": "3,5"},
    )
    good = unit_row(Bruksenhetsnr="H0102", **{"FDV-id": "E-2"})
    rows = [[*row, "andre", "59,12", "", "0", "12"], [*good, "-12", "11,38", "59,12", "1", "12"]]
    result = parse_rows(
        read_table(csv_bytes(rows, header=header), "x.csv"), DISTRICTS, current_year=2025
    )
    assert report(result) == [
        (2, "Postnr", "Ugyldig postnummer «17670»: forventet fire sifre, f.eks. 0150"),
        (2, "Antall rom", "Ugyldig antall rom «3,5»: forventet et heltall"),
        (2, "Soverom", "Ugyldig antall soverom «to»: forventet et heltall"),
        (2, "Heis", "Ugyldig verdi for heis «kanskje»: bruk ja eller nei"),
        (2, "Byggeår", "Ugyldig byggeår «1500»: må være mellom 1600 og 2025"),
        (2, "Eierform", "Ugyldig eierform «borettslag»: bruk eid eller leid"),
        (2, "Status", "Ugyldig status «solgt»: bruk ledig, utleid, rehabilitering eller inaktiv"),
        (2, "Etasje", "Ugyldig etasje «andre»: forventet et heltall"),
        (2, "Lengdegrad", "Breddegrad og lengdegrad må oppgis sammen"),
        (2, "Gnr", "Ugyldig gårdsnummer «0»: må være mellom 1 og 99999"),
        (3, "Etasje", "Ugyldig etasje «-12»: må være mellom -9 og 99"),
        (3, "Breddegrad", "Ugyldig breddegrad «11,38»: må være mellom 57 og 82"),
        (3, "Lengdegrad", "Ugyldig lengdegrad «59,12»: må være mellom -10 og 35"),
    ]


def test_required_values_missing() -> None:
    result = parse([unit_row(Adresse="  ", Bydel="", Bruksenhetsnr="")])
    assert report(result) == [
        (2, "Adresse", "Adresse mangler"),
        (2, "Bydel", "Bydel mangler"),
        (2, "Bruksenhetsnr", "Bruksenhetsnummer mangler"),
    ]


def test_defaults_floor_override_and_coordinates() -> None:
    header = ["Adresse", "Bydel", "H-nummer", "Etasje", "Breddegrad", "Lengdegrad", "Energimerke"]
    rows = [
        ["Rokkeveien 3", "Idd", "L0101", "", "59,1234", "11,3876", "C"],
        ["Rokkeveien 3", "Idd", "L0102", "4", "59,1234", "11,3876", ""],
        ["Rokkeveien 3", "Idd", "K0101", "", "", "", ""],
    ]
    result = parse(rows, header=header)
    assert report(result) == []
    assert result.unknown_columns == ("Energimerke",)
    assert [row.floor for row in result.rows] == [None, 4, -1]
    row = result.rows[0]
    # Status defaults to `let` so that a gap in the file never offers a dwelling to applicants.
    assert (row.status, row.ownership, row.external_id, row.area) == (
        UnitStatus.LET,
        Ownership.OWNED,
        None,
        None,
    )
    assert (row.building.latitude, row.building.longitude) == (59.1234, 11.3876)
    assert row.building.key == ("address", "rokkeveien 3", "")


def test_header_aliases_in_english_and_odd_spacing() -> None:
    header = ["Street Address", " district ", "UNIT NUMBER", "Area (m2)", "Has lift", "External ID"]
    result = parse([["Storgata 1", "sentrum", "H0101", "61.5", "yes", "U-9"]], header=header)
    assert report(result) == []
    row = result.rows[0]
    assert (row.area, row.building.has_lift, row.external_id) == (Decimal("61.5"), True, "U-9")


def test_row_with_more_cells_than_the_header() -> None:
    # An unquoted comma in a comma-separated file shifts the cells to the right.
    data = b"adresse,bydel,bruksenhetsnummer\r\nStorgata 1, inngang B,Sentrum,H0101\r\n"
    result = parse_file(data, "eksport.csv", DISTRICTS)
    assert report(result) == [
        (
            2,
            None,
            "Raden har flere verdier enn overskriftsraden har kolonner; "
            "sjekk skilletegn og anførselstegn",
        ),
        (
            2,
            "bydel",
            "Ukjent bydel «inngang B»: gyldige verdier er Sentrum, Brødløs, Tistedal, Idd, Kornsjø",
        ),
        (
            2,
            "bruksenhetsnummer",
            "Ugyldig bruksenhetsnummer «Sentrum»: forventet H, U, K eller L "
            "fulgt av fire sifre, f.eks. H0201",
        ),
    ]


def test_repeated_column_and_header_without_rows() -> None:
    header = ["Adresse", "Gateadresse", "Bydel", "Bruksenhetsnummer"]
    result = parse([], header=header)
    assert report(result) == [
        (1, "Gateadresse", "Kolonnen «Gateadresse» er oppgitt to ganger; bare «Adresse» brukes"),
        (1, None, "Filen har ingen rader under overskriftsraden"),
    ]
    assert result.error_rows == 0 and not result.ok


def test_excel_text_formula_and_dropped_leading_zero_in_postal_code() -> None:
    result = parse(
        [
            unit_row(Postnr='="0150"', Adresse="Akersgata 1", **{"FDV bygg-id": "B-1"}),
            unit_row(
                Postnr="150", Adresse="Akersgata 2", **{"FDV bygg-id": "B-2", "FDV-id": "E-2"}
            ),
        ]
    )
    assert report(result) == []
    assert [b.postal_code for b in result.buildings] == ["0150", "0150"]
