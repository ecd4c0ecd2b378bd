"""The HTML report: structure, escaping, secrets, scale, and a real headless Chromium."""

from __future__ import annotations

import html
import json
import shutil
from html.parser import HTMLParser

import pytest

from auditor.engine import audit
from auditor.findings import DeviceReport, DeviceStatus, Finding, Remediation, Severity, Applicability
from auditor.reports import Report, render
from auditor.rule import AuditOptions
from conftest import FIXTURE_FILES
from test_secrets import _secret_values


class Page(HTMLParser):
    """Collects what the tests look for: table rows, device sections, scripts, external references."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[dict] = []
        self.sections: dict[str, list[str]] = {}  # details id -> texts of its cells
        self.scripts = 0
        self.external: list[str] = []
        self._section: str | None = None
        self._cell: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
            if "src" in a:
                self.external.append(a["src"])
        for key in ("src", "href"):
            value = a.get(key) or ""
            if value and not value.startswith("#"):
                self.external.append(value)
        if tag == "tr" and "data-i" in a:
            self.rows.append(a)
        if tag == "details":
            self._section = a.get("id")
            self.sections[self._section] = []
        if tag in ("td", "summary", "pre", "p") and self._section:
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "summary", "pre", "p") and self._cell is not None and self._section:
            self.sections[self._section].append("".join(self._cell).strip())
            self._cell = None
        if tag == "details":
            self._section = None


def _fixture_report() -> Report:
    options = AuditOptions(mgmt_nets=("192.0.2.0/24",))
    return Report(devices=tuple(audit(p.read_bytes(), source=p.name, options=options) for p in FIXTURE_FILES), run={"command": "scan", "profile": "all"})


def _parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def test_every_device_and_finding_of_the_json_report_appears():
    report = _fixture_report()
    page = _parse(render("html", report))
    doc = json.loads(render("json", report))
    assert [r["data-name"] for r in page.rows] == [d["source"] for d in doc["devices"]]
    for i, device in enumerate(doc["devices"]):
        row = page.rows[i]
        assert row["data-status"] == device["status"] and int(row["data-count"]) == len(device["findings"])
        cells = page.sections[f"dev-{i}"]
        for f in device["findings"]:
            # one table row per finding: rule id, line, message and (masked) evidence as cells
            assert any(c.startswith(f["rule_id"]) for c in cells), (device["source"], f["rule_id"])
            assert str(f["line"]) in cells and f["evidence"] in cells and any(c.startswith(f["message"]) for c in cells)
        if device["remediation"]:
            assert device["remediation"].strip() in cells
    assert page.scripts == 1 and page.external == []  # self-contained: no fetches of any kind


def test_no_secret_appears():
    out = render("html", _fixture_report())
    values = _secret_values(FIXTURE_FILES)
    assert {"Summer2024", "ConsolePass1"} <= values
    assert [v for v in values if v in out] == []
    assert "password 7 ****" in out


def test_markup_from_configs_is_escaped(tmp_path):
    config = (
        "hostname <script>alert(1)</script>\n"
        "banner motd ^C <img src=x onerror=alert(2)> </details><script>alert(3)</script> ^C\n"
        'ip access-list standard "><script>alert(4)</script>\n'
        " permit any\n"
        "line vty 0 4\n"
        ' access-class "><script>alert(4)</script> in\n'
        " transport input telnet\n"
        "end\n"
    )
    report = Report(devices=(audit(config.encode(), source="<b>bold</b>.cfg"),))
    out = render("html", report)
    assert "alert(1)" in html.unescape(out)  # the text is there...
    assert "<script>alert" not in out and "<img" not in out and "<b>bold" not in out  # ...but never as markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    page = _parse(out)
    assert page.scripts == 1 and len(page.rows) == 1 and list(page.sections) == ["dev-0"]


def _fleet(n: int) -> Report:
    findings = tuple(
        Finding(
            rule_id=rule_id,
            rule_name="x",
            severity=severity,
            message=f"{rule_id} message",
            section="line vty 0 4",
            line=line,
            evidence="transport input telnet",
            remediation=Remediation(applicability=Applicability.UNSAFE, note="n"),
        )
        for rule_id, severity, line in (("VTY001", Severity.HIGH, 12), ("VTY014", Severity.LOW, 3))
    )
    devices = []
    for i in range(n):
        if i % 50 == 49:
            devices.append(DeviceReport(source=f"dev{i:05}", status=DeviceStatus.AUTH_FAILED, error="rejected the credentials", address="192.0.2.1:22"))
        else:
            devices.append(DeviceReport(source=f"dev{i:05}", hostname=f"r{i}", status=DeviceStatus.AUDITED, findings=findings[: i % 3], remediation="configure terminal\nend\n" if i % 3 else ""))
    return Report(devices=tuple(devices))


def test_a_5000_device_fleet_renders_every_device():
    out = render("html", _fleet(5000))
    page = _parse(out)
    assert len(page.rows) == 5000 and len(page.sections) == 5000
    assert 'id="match-count">5000<' in out and "100 auth-failed" in out


# ---------------------------------------------------------------- a real browser


def _browser():
    chromium, driver = shutil.which("chromium") or shutil.which("chromium-browser"), shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("headless Chromium not installed (Debian packages chromium and chromium-driver; .ci/run installs them)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1800",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(driver), options=options)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    driver = _browser()
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


VISIBLE_ROWS = "return Array.from(document.querySelectorAll('#device-table tbody tr')).filter(r => !r.hidden).map(r => r.dataset.name)"


def test_filters_sorting_and_screenshot_in_chromium(browser, tmp_path):
    from io import BytesIO

    from PIL import Image
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    report = _fixture_report()
    doc = json.loads(render("json", report))
    path = tmp_path / "report.html"
    path.write_text(render("html", report), encoding="utf-8")
    browser.get(path.as_uri())
    assert browser.execute_script("return document.documentElement.className") == "js"
    assert len(browser.execute_script(VISIBLE_ROWS)) == len(doc["devices"])

    with_vty001 = [d["source"] for d in doc["devices"] if any(f["rule_id"] == "VTY001" for f in d["findings"])]
    Select(browser.find_element(By.ID, "f-rule")).select_by_value("VTY001")
    assert browser.execute_script(VISIBLE_ROWS) == with_vty001
    assert browser.find_element(By.ID, "match-count").text == str(len(with_vty001))
    hidden_sections = browser.execute_script("return Array.from(document.querySelectorAll('details.device')).filter(d => d.hidden).length")
    assert hidden_sections == len(doc["devices"]) - len(with_vty001)

    Select(browser.find_element(By.ID, "f-rule")).select_by_value("")
    Select(browser.find_element(By.ID, "f-status")).select_by_value("compliant")
    clean = [d["source"] for d in doc["devices"] if d["status"] == "audited" and not d["findings"]]
    assert browser.execute_script(VISIBLE_ROWS) == clean
    Select(browser.find_element(By.ID, "f-status")).select_by_value("")
    Select(browser.find_element(By.ID, "f-severity")).select_by_value("5")  # critical
    critical = [d["source"] for d in doc["devices"] if any(f["severity"] == "critical" for f in d["findings"])]
    assert browser.execute_script(VISIBLE_ROWS) == critical
    Select(browser.find_element(By.ID, "f-severity")).select_by_value("0")

    browser.find_element(By.CSS_SELECTOR, 'th[data-key="count"]').click()  # ascending
    browser.find_element(By.CSS_SELECTOR, 'th[data-key="count"]').click()  # descending
    most = max(doc["devices"], key=lambda d: len(d["findings"]))
    assert browser.execute_script(VISIBLE_ROWS)[0] == most["source"]

    browser.execute_script("window.scrollTo(0, 0)")
    png = browser.get_screenshot_as_png()
    (tmp_path / "shot.png").write_bytes(png)
    image = Image.open(BytesIO(png)).convert("RGB")
    assert image.size[0] >= 800
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # text, bars, badges: not a blank page
    dominant = max(colours)[0] / (image.size[0] * image.size[1])
    assert dominant < 0.9


def test_pagination_in_chromium(browser, tmp_path):
    from selenium.webdriver.common.by import By

    path = tmp_path / "fleet.html"
    path.write_text(render("html", _fleet(250)), encoding="utf-8")
    browser.get(path.as_uri())
    first = browser.execute_script(VISIBLE_ROWS)
    assert len(first) == 100 and first[0] == "dev00000"
    browser.find_element(By.ID, "next").click()
    second = browser.execute_script(VISIBLE_ROWS)
    assert len(second) == 100 and second[0] == "dev00100"
    browser.find_element(By.ID, "next").click()
    assert len(browser.execute_script(VISIBLE_ROWS)) == 50
    assert browser.find_element(By.ID, "next").get_attribute("disabled") is not None
    assert browser.find_element(By.ID, "page-label").text == "201–250 of 250"
