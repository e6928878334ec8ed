#!/usr/bin/env python3
"""The pages of the real chain serve in headless Chromium (Selenium), from a real `git push` through the
shipped post-receive hook.

    pages_served_browser.py CHAIN [--screenshot PNG]

The pipeline's build stage blocks on a fifo until the test writes a line into it, so the run is
certainly running while the browser looks: the repository list shows it, the run page follows its log
as it grows and loads the finished run once it ends. The manual deploy stage is approved through the
page's form: refused (403) without the token, with the token typed once (the chain_token cookie) the
server answers 303 to the page of the queued run, which runs to success with deploy done. The badge of
the branch then says success. No page reports a script error or a policy violation. --screenshot writes
a 1280x900 picture of the approved run's page (docs/serve-run-page.png)."""
import os
import sys
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from browserlib import browser, check_no_errors
from serverlib import Server, commit_files, git, install_hook, make_repository, temporary_folder

PIPELINE = """pipeline "acme-utils"

stage build {{
  sh("echo waiting at the gate && cat {gate} && echo through")
  sh("mkdir -p dist && echo wheel > dist/acme_utils-1.0-py3-none-any.whl")
  artifact wheel = file("dist/acme_utils-1.0-py3-none-any.whl")
}}

stage test needs build {{
  sh("echo 3 passed")
}}

stage deploy needs test manual {{
  sh("echo deployed")
}}
"""


def log_text(driver, name):
    """What the page shows of a log, opened or not (the run page folds finished steps' logs)."""
    return driver.execute_script(
        "return [...document.querySelectorAll('pre[data-log]')].filter((p) => p.dataset.log === arguments[0])"
        ".map((p) => p.textContent).join('\\n')", name)


def open_gate(gate, line):
    # Opening a fifo for writing returns once the step's `cat` has it open: no waiting on time.
    with open(gate, "w", encoding="utf-8") as f:
        f.write(line + "\n")


def main(chain, screenshot):
    with temporary_folder() as root:
        gate = os.path.join(root, "gate")
        os.mkfifo(gate)
        work, bare = make_repository(root, "acme-utils", {"README": "acme\n"})
        server = Server(chain, root, {"acme-utils": bare}).start()
        driver = None
        try:
            install_hook(bare, server, "acme-utils")
            commit_files(work, {"pipeline.chain": PIPELINE.format(gate=gate)}, "the pipeline")
            git("push", "-q", "origin", "develop", cwd=work)
            driver = browser()
            wait = WebDriverWait(driver, 60)
            base = server.url

            # The run is held at the gate: the repository list shows it running.
            wait.until(lambda d: server.get_json("/api/runs/1")["status"] == "running")
            driver.get(base + "/")
            assert driver.find_element(By.TAG_NAME, "h1").text == "Repositories"
            row = driver.find_element(By.CSS_SELECTOR, "section.repository tbody tr")
            assert row.find_element(By.TAG_NAME, "td").text.startswith("develop"), row.text
            assert "running" in row.text, row.text
            check_no_errors(driver, "/")

            driver.find_element(By.LINK_TEXT, "#1").click()
            wait.until(lambda d: d.current_url == base + "/runs/1")
            assert driver.find_element(By.TAG_NAME, "main").get_attribute("data-live") == "true"
            wait.until(lambda d: "waiting at the gate" in log_text(d, "build/1-sh.log"))
            assert "through" not in log_text(driver, "build/1-sh.log")
            # The record chain run keeps while it runs lists the stages: the page shows build running.
            live = server.get_json("/api/runs/1")["record"]
            assert {s["name"]: s["status"] for s in live["stages"]}.get("build") == "running", live
            driver.refresh()
            build = driver.find_element(By.ID, "stage-0")
            assert build.find_element(By.TAG_NAME, "h3").text == "build" and "running" in build.text, build.text
            check_no_errors(driver, "/runs/1 at the gate")

            # Released: the page shows the lines as they come, then loads the finished run.
            open_gate(gate, "the gate opened")
            wait.until(lambda d: "the gate opened\nthrough" in log_text(d, "build/1-sh.log"))
            wait.until(lambda d: d.find_element(By.TAG_NAME, "main").get_attribute("data-live") is None)
            assert len(driver.find_elements(By.CSS_SELECTOR, ".graph svg a.node")) == 3
            assert driver.find_element(By.CSS_SELECTOR, "#run-status").text == "success"
            wheel = driver.find_element(By.CSS_SELECTOR, "a[download]")
            assert wheel.text == "acme_utils-1.0-py3-none-any.whl", wheel.text
            with urllib.request.urlopen(wheel.get_attribute("href")) as answer:
                assert answer.read() == b"wheel\n"
            check_no_errors(driver, "/runs/1 finished")

            # Approving without the token: 403.
            driver.find_element(By.XPATH, "//button[text()='Approve deploy']").click()
            wait.until(lambda d: "approving needs the server's token" in d.page_source)
            assert server.get_json("/api/runs")[0]["id"] == 1
            assert driver.find_element(By.TAG_NAME, "h1").text == "Not allowed"
            driver.get_log("browser")  # the 403 asked for on purpose
            driver.back()

            # The token typed once goes as the chain_token cookie; the server answers with the new run's page.
            wait.until(lambda d: d.find_elements(By.ID, "token-form"))
            driver.find_element(By.CSS_SELECTOR, "#token-form input[name=token]").send_keys(server.token)
            driver.find_element(By.CSS_SELECTOR, "#token-form button").click()
            wait.until(lambda d: d.find_element(By.ID, "token-state").text == "token kept in this browser")
            driver.find_element(By.XPATH, "//button[text()='Approve deploy']").click()
            wait.until(lambda d: d.current_url == base + "/runs/2")
            wait.until(lambda d: "waiting at the gate" in log_text(d, "build/1-sh.log"))
            open_gate(gate, "the gate opened again")
            wait.until(lambda d: d.find_element(By.TAG_NAME, "main").get_attribute("data-live") is None)
            assert "deployed" in log_text(driver, "deploy/1-sh.log")
            approved = server.get_json("/api/runs/2")
            assert approved["status"] == "success", approved
            stages = {stage["name"]: stage["status"] for stage in approved["record"]["stages"]}
            assert stages == {"build": "success", "test": "success", "deploy": "success"}, stages
            check_no_errors(driver, "/runs/2")

            # The badge as a README on another host shows it: an image.
            driver.get(base + "/badge/acme-utils/develop.svg")
            assert ">success<" in driver.page_source
            with urllib.request.urlopen(base + "/badge/acme-utils/other.svg") as answer:
                assert answer.headers["Content-Type"] == "image/svg+xml" and b">no runs<" in answer.read()
            # Chromium asks a lone image for /favicon.ico, which the server does not have.
            driver.get_log("browser")

            if screenshot:
                driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                       {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})
                driver.get(base + "/runs/2")
                check_no_errors(driver, "/runs/2 for the screenshot")
                driver.save_screenshot(screenshot)
        finally:
            if driver:
                driver.quit()
            code, _ = server.stop()
        assert code == 0, code
    print("the served pages in Chromium: a run followed live, approved through the form with the token, badge")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[sys.argv.index("--screenshot") + 1] if "--screenshot" in sys.argv else None)
