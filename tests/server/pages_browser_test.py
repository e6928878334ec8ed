"""The pages of chain serve in headless Chromium, served from files by a stand-in for the server.

    pages_browser_test.py PAGES_FIXTURE [--screenshot PNG]

PAGES_FIXTURE renders the sample pages into a folder; a small http.server on loopback serves them at
the server's addresses (/, /repositories/NAME, /runs/7, /api/runs/7, /api/runs/7/log/NAME?offset=N
from byte N, POST /api/runs/7/approve/STAGE answering 403 without the chain_token cookie). Chromium,
driven by Selenium, checks that each page renders with its SVG and no script or policy error, that
hostile names stay text, that a log grows as its file grows, that a log that begins during the run is
added, that the page loads the finished run once the run ends, and that the token typed once goes with
the approve form. --screenshot writes a 1280x900 picture of a run page (docs/serve-run-page.png).
"""

import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from browserlib import browser, check_no_errors

HOSTILE_BRANCH = '"><script>alert(1)</script>'
HOSTILE_LOG_LINE = "<img src=x onerror=alert(1)>"


class Site:
    """What the stand-in serves: the rendered files, and the run's state the test changes."""

    def __init__(self, folder):
        self.folder = folder
        self.run_page = "run-running.html"
        self.run_json = "run-running.json"
        self.requests = []  # (method, path, cookie)
        self.lock = threading.Lock()

    def file(self, name):
        with open(os.path.join(self.folder, name), "rb") as f:
            return f.read()


def handler_for(site):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send(self, code, body, content_type):
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            with site.lock:
                site.requests.append(("GET", url.path, self.headers.get("Cookie", "")))
                run_page, run_json = site.run_page, site.run_json
            html = "text/html; charset=utf-8"
            if url.path == "/":
                return self.send(200, site.file("repositories.html"), html)
            if url.path == "/repositories/acme-utils":
                return self.send(200, site.file("repository.html"), html)
            if url.path == "/runs/7":
                return self.send(200, site.file(run_page), html)
            if url.path == "/api/runs/7":
                return self.send(200, site.file(run_json), "application/json")
            if url.path.startswith("/badge/"):
                return self.send(200, site.file("badge.svg"), "image/svg+xml")
            prefix = "/api/runs/7/log/"
            if url.path.startswith(prefix):
                # As the server does: one decoding of each segment, nothing outside the logs folder.
                name = "/".join(urllib.parse.unquote(part) for part in url.path[len(prefix):].split("/"))
                if ".." in name.split("/"):
                    return self.send(400, b"", "text/plain")
                offset = int(urllib.parse.parse_qs(url.query).get("offset", ["0"])[0])
                try:
                    text = site.file(os.path.join("logs", name))
                except FileNotFoundError:
                    return self.send(404, b"", "text/plain")
                return self.send(200, text[offset:], "text/plain; charset=utf-8")
            return self.send(404, b"not here", "text/plain")

        def do_POST(self):
            cookie = self.headers.get("Cookie", "")
            with site.lock:
                site.requests.append(("POST", self.path, cookie))
            if "chain_token=let%20me%20in" not in cookie:
                return self.send(403, b"a token is needed", "text/plain")
            self.send_response(303)
            self.send_header("Location", "/runs/7")
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


def main():
    fixture = sys.argv[1]
    screenshot = sys.argv[sys.argv.index("--screenshot") + 1] if "--screenshot" in sys.argv else None
    folder = tempfile.mkdtemp(prefix="chain-pages-")
    server = None
    driver = None
    try:
        subprocess.run([fixture, folder], check=True)
        site = Site(folder)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_for(site))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        driver = browser()
        wait = WebDriverWait(driver, 20)

        # The repositories: the hostile branch is text, its badge link encoded.
        driver.get(base + "/")
        assert driver.find_element(By.TAG_NAME, "h1").text == "Repositories"
        rows = driver.find_elements(By.CSS_SELECTOR, "section.repository tbody tr")
        assert rows[0].find_element(By.TAG_NAME, "td").text.startswith(HOSTILE_BRANCH), rows[0].text
        assert len(driver.find_elements(By.TAG_NAME, "script")) == 1
        badge = rows[0].find_element(By.LINK_TEXT, "svg").get_attribute("href")
        assert badge == base + "/badge/acme-utils/%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E.svg", badge
        check_no_errors(driver, "/")

        driver.get(base + "/repositories/acme-utils")
        assert driver.find_element(By.CSS_SELECTOR, "tbody tr td a").text == "#7"
        check_no_errors(driver, "/repositories/acme-utils")

        # A running run: its log grows as the file does, and a log that begins later is added.
        driver.get(base + "/runs/7")
        main_element = driver.find_element(By.TAG_NAME, "main")
        assert main_element.get_attribute("data-live") == "true"
        log = driver.find_element(By.CSS_SELECTOR, 'pre[data-log="test%5Bpython=3.11%5D/1-test.log"]')
        assert log.text == "collecting ..."
        with open(os.path.join(folder, "logs", "test%5Bpython=3.11%5D", "1-test.log"), "a") as f:
            f.write("test_text.py ....\n" + HOSTILE_LOG_LINE + "\n")
        wait.until(lambda d: "test_text.py ...." in log.text)
        assert log.text == "collecting ...\ntest_text.py ....\n" + HOSTILE_LOG_LINE, log.text
        assert not driver.find_elements(By.CSS_SELECTOR, "pre img")
        os.makedirs(os.path.join(folder, "logs", "lint"))
        with open(os.path.join(folder, "logs", "lint", "1-lint.log"), "w") as f:
            f.write("src/acme/text.py:1:1: F401 'os' imported but unused\n")
        with open(os.path.join(folder, "run-running.json"), "r+") as f:
            running = f.read().replace('"logs":["test%5Bpython=3.11%5D/1-test.log"]',
                                       '"logs":["test%5Bpython=3.11%5D/1-test.log","lint/1-lint.log"]')
            f.seek(0)
            f.write(running)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, 'pre[data-log="lint/1-lint.log"]'))
        lint = driver.find_element(By.CSS_SELECTOR, 'pre[data-log="lint/1-lint.log"]')
        wait.until(lambda d: "F401" in lint.text)
        assert not driver.find_elements(By.ID, "no-logs")
        check_no_errors(driver, "/runs/7 while running")

        # The run ends: the page loads the finished run, graph and all, and follows nothing more.
        with site.lock:
            site.run_page, site.run_json = "run-finished.html", "run-finished.json"
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".graph svg"))
        assert driver.find_element(By.TAG_NAME, "main").get_attribute("data-live") is None
        assert len(driver.find_elements(By.CSS_SELECTOR, ".graph svg a.node")) == 5
        assert driver.find_element(By.CSS_SELECTOR, "dl.facts dd:nth-of-type(2)").text == HOSTILE_BRANCH
        artifact = driver.find_element(By.CSS_SELECTOR, "a[download]")
        assert artifact.text == "acme & utils.whl"
        assert artifact.get_attribute("href") == (
            base + "/api/runs/7/artifacts/.chain/out/build/wheel/acme%20%26%20utils.whl")
        check_no_errors(driver, "/runs/7 finished")

        # Approving without the token is refused; with it typed once, the cookie goes with the form.
        driver.find_element(By.XPATH, "//button[text()='Approve deploy']").click()
        wait.until(lambda d: "a token is needed" in d.page_source)
        driver.back()
        wait.until(lambda d: d.find_elements(By.ID, "token-form"))
        driver.find_element(By.CSS_SELECTOR, "#token-form input[name=token]").send_keys("let me in")
        driver.find_element(By.CSS_SELECTOR, "#token-form button").click()
        wait.until(lambda d: d.find_element(By.ID, "token-state").text == "token kept in this browser")
        driver.find_element(By.XPATH, "//button[text()='Approve deploy']").click()
        wait.until(lambda d: any(method == "POST" and "chain_token=let%20me%20in" in cookie
                                 for method, _, cookie in site.requests))
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".graph svg"))
        posts = [(path, cookie) for method, path, cookie in site.requests if method == "POST"]
        assert [path for path, _ in posts] == ["/api/runs/7/approve/deploy"] * 2, posts
        # The 403 page is the stand-in's; only the pages of chain serve are checked for errors.
        driver.get_log("browser")

        if screenshot:
            shutil.copy(os.path.join(folder, "run-showcase.html"), os.path.join(folder, "run-finished.html"))
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})
            driver.get(base + "/runs/7")
            check_no_errors(driver, "the showcase run")
            driver.save_screenshot(screenshot)
        print("pages render in Chromium: SVG present, hostile names inert, live log followed, token sent")
    finally:
        if driver:
            driver.quit()
        if server:
            server.shutdown()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
