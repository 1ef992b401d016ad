"""Inspector: the report of an own approved inspection, downloaded from "Mine befaringer"."""

import re
from io import BytesIO

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.browser_helpers import assert_no_axe_violations, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_the_inspector_downloads_the_report_of_an_approved_inspection(phone, live_app, tmp_path):
    page = phone
    sign_in(page, live_app, "inspector")
    reports = page.get_by_role("region", name="Godkjente befaringer")
    link = reports.get_by_role(
        "link", name=re.compile(r"^Last ned rapport \(PDF\) ?: Storgata 10\b")
    )
    expect(link).to_be_visible()
    expect(reports).to_contain_text(re.compile(r"Storgata 10.*, godkjent \d{1,2}\. \w+ \d{4}"))
    assert_no_axe_violations(page, "Mine befaringer med godkjente befaringer")
    screenshot(page, "befarer-godkjente-befaringer")

    with page.expect_download() as started:
        link.click()
    download = started.value
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    pdf = PdfReader(BytesIO(path.read_bytes()))
    text = " ".join(page_.extract_text() for page_ in pdf.pages)
    assert "Storgata 10" in text
    assert "Befaringsrapport" in text or "befaring" in text.lower()
