"""Headless Chromium for the tests of chain serve's pages: Debian's chromium driven by its chromedriver."""

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def check_no_errors(driver, page):
    """No script error, no policy violation, no failed request, no alert a hostile name opened."""
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, f"{page}: the browser reported {errors}"
    try:
        alert = driver.switch_to.alert
        raise AssertionError(f"{page}: an alert opened: {alert.text}")
    except NoAlertPresentException:
        pass
