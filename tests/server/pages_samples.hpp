#pragma once

// What the server's API says about a repository whose every name is hostile, in the shapes of
// GET /api/repositories, /api/runs and /api/runs/ID; the run record is one `chain run` wrote, with the
// names changed. The unit tests and the browser test render the same values.

#include "server/pages.hpp"

#include <nlohmann/json.hpp>

namespace chain::pages::samples {

inline const std::string hostile_branch = "\"><script>alert(1)</script>";
inline const std::string hostile_log_line = "<img src=x onerror=alert(1)>";
inline const std::string commit = "3f9a1c2e5b7d4f6081a2b3c4d5e6f708192a3b4c";

inline nlohmann::json run_object(int id, std::string status) {
    bool finished = status != "queued" && status != "running";
    return {{"id", id},
            {"repository", "acme-utils"},
            {"ref", "refs/heads/" + hostile_branch},
            {"commit", commit},
            {"status", status},
            {"version", "1.4.0.dev3"},
            {"pusher", "<b>mallory</b>"},
            {"message", "Fix </textarea><script>alert(2)</script>\nsecond line"},
            {"queued_at", "2026-12-02T09:40:01Z"},
            {"started_at", status == "queued" ? nlohmann::json() : nlohmann::json("2026-12-02T09:40:02Z")},
            {"finished_at", finished ? nlohmann::json("2026-12-02T09:41:14Z") : nlohmann::json()},
            {"duration_seconds", finished ? nlohmann::json(72.4) : nlohmann::json()},
            {"upstream", nullptr},
            {"downstream", {8}}};
}

/// GET /api/runs/7 of a run that has finished: the record as chain run writes it.
inline nlohmann::json finished_run() {
    nlohmann::json run = run_object(7, "success");
    run["record"] = nlohmann::json::parse(R"json({
      "run": "20261202T094002Z-4242", "pipeline": "acme-utils",
      "ref": {"kind": "branch", "name": "\"><script>alert(1)</script>"},
      "version": "1.4.0.dev3", "status": "success", "duration_ms": 72400,
      "stages": [
        {"name": "test[python=3.11]", "stage": "test", "status": "success", "reason": "no condition: runs on every ref",
         "needs": [], "duration_ms": 15300, "attempts": 1, "steps": [
          {"step": 1, "builtin": "test", "argv": ["python3.11", "-m", "pytest", "-q", "--junitxml=.chain/out/t/report.xml"],
           "exit_code": 0, "duration_ms": 15200, "log": ".chain/runs/20261202T094002Z-4242/logs/test%5Bpython=3.11%5D/1-test.log",
           "summary": "12 tests, all passed"}]},
        {"name": "test[python=3.12]", "stage": "test", "status": "success", "reason": "no condition: runs on every ref",
         "needs": [], "duration_ms": 14100, "attempts": 2, "steps": [
          {"step": 1, "builtin": "sh", "argv": ["sh", "-c", "echo '<img src=x onerror=alert(1)>'; pytest -q"],
           "exit_code": 0, "duration_ms": 14000, "log": ".chain/runs/20261202T094002Z-4242/logs/test%5Bpython=3.12%5D/1-sh.log"}]},
        {"name": "lint", "stage": "lint", "status": "failed", "allowed": true, "reason": "step 1 (lint) failed: 2 findings",
         "needs": [], "duration_ms": 2100, "attempts": 1, "steps": [
          {"step": 1, "builtin": "lint", "argv": ["python3", "-m", "flake8", "src"], "exit_code": 1, "duration_ms": 2100,
           "log": ".chain/runs/20261202T094002Z-4242/logs/lint/1-lint.log", "summary": "2 findings"}]},
        {"name": "build", "stage": "build", "status": "success", "reason": "no condition: runs on every ref",
         "needs": ["test[python=3.11]", "test[python=3.12]", "lint"], "duration_ms": 9800, "attempts": 1, "steps": [
          {"step": 1, "builtin": "package", "argv": ["python3", "-m", "build", "--wheel"], "exit_code": 0, "duration_ms": 9700},
          {"step": 2, "builtin": "file", "action": "take dist/acme & utils.whl into .chain/out/build/wheel", "exit_code": 0,
           "duration_ms": 0}],
         "artifacts": {"wheel": {"path": ".chain/out/build/wheel/acme & utils.whl",
                                 "sha256": "1f148121b804b2d30f7b87856b0840eba32af90607328a5756802771f8dbff57"}}},
        {"name": "deploy", "stage": "deploy", "status": "skipped", "reason": "manual: waits for --approve deploy",
         "needs": ["build"], "duration_ms": 0, "attempts": 1, "steps": []}
      ]})json");
    run["logs"] = {"test%5Bpython=3.11%5D/1-test.log", "test%5Bpython=3.12%5D/1-sh.log", "lint/1-lint.log"};
    return run;
}

/// The logs of finished_run() as the server reads them.
inline std::map<std::string, LogExcerpt> finished_logs() {
    return {
        {"test%5Bpython=3.11%5D/1-test.log", {"............ [100%]\n\x1b[32m12 passed\x1b[0m in 0.41s\n", 0}},
        {"test%5Bpython=3.12%5D/1-sh.log", {hostile_log_line + "\n12 passed\n", 0}},
        {"lint/1-lint.log", {"src/acme/text.py:1:1: F401 'os' imported but unused\n", 0}}};
}

/// GET /api/runs/7 while the run goes: run.json holds no stages yet, one log has begun.
inline nlohmann::json running_run() {
    nlohmann::json run = run_object(7, "running");
    run["record"] = {
        {"run", "20261202T094002Z-4242"}, {"pipeline", "acme-utils"}, {"status", "running"}, {"pid", 4242}};
    run["logs"] = {"test%5Bpython=3.11%5D/1-test.log"};
    return run;
}

/// The downstream run of run 7, as the pages are given it.
inline nlohmann::json linked_runs() {
    nlohmann::json downstream = run_object(8, "queued");
    downstream["repository"] = "acme-web";
    downstream["ref"] = "refs/heads/develop";
    downstream["upstream"] = 7;
    downstream["downstream"] = nlohmann::json::array();
    return nlohmann::json::array({downstream});
}

/// GET /api/repositories.
inline nlohmann::json repositories() {
    return nlohmann::json::array(
        {{{"name", "acme-utils"},
          {"url", "https://builder:s3cr3t-token@git.example.com/acme/utils.git"},
          {"branches",
           {{{"ref", "refs/heads/" + hostile_branch}, {"last_run", run_object(7, "success")}},
            {{"ref", "refs/tags/v1.0.0"}, {"last_run", run_object(5, "failed")}}}}},
         {{"name", "acme & web"}, {"url", "/srv/git/acme-web.git"}, {"branches", nlohmann::json::array()}}});
}

} // namespace chain::pages::samples
