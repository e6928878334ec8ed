#include "interpreter/executor.hpp"

#include "grammar/parser.hpp"
#include "interpreter/checker.hpp"
#include "tests/temp_folder.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

using namespace chain;
namespace fs = std::filesystem;

namespace {

/// The repository folder of one run.
using Workspace = test::TempFolder;

StageInstance stage(std::string name, std::vector<std::vector<std::string>> commands, std::vector<std::string> needs = {}) {
    StageInstance instance;
    instance.name = name;
    instance.stage = name;
    instance.runs = true;
    instance.needs = std::move(needs);
    for (auto& argv : commands) {
        instance.steps.push_back(stdlib::command("sh", std::move(argv)));
    }
    return instance;
}

std::vector<std::string> shell(std::string script) { return {"sh", "-c", std::move(script)}; }

RunOptions jobs(std::size_t count, bool keep_going = false, bool use_cache = true) {
    RunOptions options;
    options.jobs = count;
    options.keep_going = keep_going;
    options.use_cache = use_cache;
    return options;
}

struct Outcome {
    RunResult result;
    std::string record;
};

Outcome run_plan(Workspace& workspace, const Plan& plan, RunOptions options = jobs(1)) {
    Store store(workspace.root);
    auto runner = make_process_runner();
    std::FILE* sink = std::fopen("/dev/null", "w");
    auto status = make_plain_status(sink);
    Outcome outcome{execute(plan, options, store, *runner, *status), ""};
    std::fclose(sink);
    outcome.record = workspace.read(outcome.result.record_path);
    return outcome;
}

/// What a run shows, event by event, as a terminal would print it.
class Shown : public Status {
  public:
    void event(const std::string& line) override { text += line + "\n"; }
    void refresh(const std::vector<RunningView>&, std::size_t, std::size_t) override {}
    void close() override {}
    std::string text;
};

RunResult run_shown(Workspace& workspace, const Plan& plan, Shown& shown, RunOptions options = jobs(1)) {
    Store store(workspace.root);
    auto runner = make_process_runner();
    return execute(plan, options, store, *runner, shown);
}

Plan plan_of(std::vector<StageInstance> stages) {
    Plan plan;
    plan.pipeline = "test";
    plan.ref = {false, "develop"};
    plan.version = "0.0.1.dev1";
    plan.stages = std::move(stages);
    return plan;
}

bool process_alive(int pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) {
        return false;
    }
    // The state follows the command name in parentheses; a zombie has ended.
    return line.substr(line.rfind(')') + 2, 1) != "Z";
}

} // namespace

TEST_CASE("stages run in the order their needs give, in the repository folder") {
    Workspace workspace;
    Plan plan = plan_of({stage("make", {shell("echo made > thing")}),
                         stage("use", {shell("test \"$(cat thing)\" = made")}, {"make"})});
    Outcome outcome = run_plan(workspace, plan, jobs(2));
    CHECK(outcome.result.exit_code == 0);
    CHECK(outcome.result.statuses == std::vector<StageStatus>{StageStatus::success, StageStatus::success});
    CHECK(outcome.record.find("\"status\": \"success\"") != std::string::npos);
}

TEST_CASE("independent stages really run at the same time up to -j") {
    Workspace workspace;
    // Each stage finishes only once the other has started: only true parallelism lets both succeed.
    auto meet = [](std::string me, std::string other) {
        return shell("touch " + me + "; until [ -e " + other + " ]; do :; done");
    };
    Plan plan = plan_of({stage("left", {meet("left", "right")}), stage("right", {meet("right", "left")})});
    for (StageInstance& instance : plan.stages) {
        instance.timeout_ms = 5000;
    }
    CHECK(run_plan(workspace, plan, jobs(2)).result.exit_code == 0);
    Workspace alone;
    Outcome serial = run_plan(alone, plan, jobs(1));
    CHECK(serial.result.exit_code == 1); // with -j1 the first one waits in vain and times out
    CHECK(serial.record.find("timed out after 5s") != std::string::npos);
}

TEST_CASE("a failure skips the stages that need it, and with keep-going the others go on") {
    Plan plan = plan_of({stage("broken", {shell("echo about to fail; exit 3")}),
                         stage("after", {shell("true")}, {"broken"}), stage("other", {shell("touch other-ran")})});
    Workspace stop;
    Outcome stopped = run_plan(stop, plan, jobs(1));
    CHECK(stopped.result.exit_code == 1);
    CHECK(stopped.result.statuses ==
          std::vector<StageStatus>{StageStatus::failed, StageStatus::skipped, StageStatus::not_run});
    CHECK(stopped.record.find("step 1 (sh) failed: exit code 3 — about to fail") != std::string::npos);
    Workspace go_on;
    Outcome kept = run_plan(go_on, plan, jobs(1, true));
    CHECK(kept.result.statuses ==
          std::vector<StageStatus>{StageStatus::failed, StageStatus::skipped, StageStatus::success});
    CHECK(fs::exists(go_on.root / "other-ran"));
}

TEST_CASE("retry runs a failed stage again") {
    Workspace workspace;
    StageInstance flaky = stage("flaky", {shell("n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; "
                                                "[ $n -ge 3 ]")});
    flaky.retries = 2;
    Outcome outcome = run_plan(workspace, plan_of({flaky}));
    CHECK(outcome.result.exit_code == 0);
    CHECK(workspace.read("count") == "3\n");
    CHECK(nlohmann::json::parse(outcome.record)["stages"][0]["attempts"] == 3);
}

TEST_CASE("a timeout kills the stage's whole process group, grandchildren too") {
    Workspace workspace;
    StageInstance slow = stage("slow", {shell("sleep 30 & echo $! > grandchild; wait")});
    slow.timeout_ms = 300;
    Outcome outcome = run_plan(workspace, plan_of({slow}));
    CHECK(outcome.result.exit_code == 1);
    CHECK(outcome.record.find("timed out after 300ms") != std::string::npos);
    int grandchild = std::stoi(workspace.read("grandchild"));
    CHECK_FALSE(process_alive(grandchild));
}

TEST_CASE("SIGINT stops every running process, records the run as interrupted and exits 130") {
    Workspace workspace;
    Plan plan = plan_of({stage("long", {shell("echo $$ > long.pid; sleep 30 & wait")}),
                         stage("later", {shell("true")}, {"long"})});
    std::thread interrupter([&] {
        // As in chain, where every thread but the runner's signal thread has SIGINT blocked.
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGINT);
        pthread_sigmask(SIG_BLOCK, &signals, nullptr);
        while (!fs::exists(workspace.root / "long.pid") || workspace.read("long.pid").empty()) {
            std::this_thread::yield();
        }
        kill(getpid(), SIGINT);
    });
    Outcome outcome = run_plan(workspace, plan, jobs(2));
    interrupter.join();
    CHECK(outcome.result.exit_code == 130);
    CHECK(outcome.record.find("\"status\": \"interrupted\"") != std::string::npos);
    CHECK(outcome.result.statuses == std::vector<StageStatus>{StageStatus::interrupted, StageStatus::not_run});
    CHECK(nlohmann::json::parse(outcome.record)["stages"][0]["status"] == "interrupted");
    CHECK_FALSE(process_alive(std::stoi(workspace.read("long.pid"))));
}

TEST_CASE("a failed stage leaves no artifact, and a successful one keeps it by its SHA-256") {
    Workspace workspace;
    StageInstance failing = stage("failing", {shell("mkdir -p .chain/out/failing/thing && echo x > .chain/out/failing/thing/f"),
                                              shell("false")});
    failing.artifacts["thing"] = ".chain/out/failing/thing";
    StageInstance good = stage("good", {shell("echo content > .chain/out/good/thing/f")});
    good.artifacts["thing"] = ".chain/out/good/thing";
    good.outputs = {".chain/out/good/thing"};
    Outcome outcome = run_plan(workspace, plan_of({failing, good}), jobs(1, true));
    CHECK_FALSE(fs::exists(workspace.root / ".chain/out/failing"));
    CHECK(fs::is_symlink(workspace.root / ".chain/out/good/thing"));
    CHECK(workspace.read(".chain/out/good/thing/f") == "content\n");
    std::string hash = Store::content_hash(workspace.root / ".chain/out/good/thing");
    CHECK(fs::exists(workspace.root / ".chain/artifacts" / hash));
    CHECK(outcome.record.find(hash) != std::string::npos);
}

TEST_CASE("a stage with inputs is up to date until an input changes") {
    Workspace workspace;
    fs::create_directories(workspace.root / "src");
    std::ofstream(workspace.root / "src/a.py") << "print(1)\n";
    StageInstance build = stage("build", {shell("cat src/a.py > .chain/out/build/out/copy; echo ran >> runs")});
    build.inputs = {"src/**"};
    build.outputs = {".chain/out/build/out"};
    build.artifacts["out"] = ".chain/out/build/out";
    Plan plan = plan_of({build});
    CHECK(run_plan(workspace, plan).result.statuses[0] == StageStatus::success);
    CHECK(run_plan(workspace, plan).result.statuses[0] == StageStatus::up_to_date);
    CHECK(workspace.read(".chain/out/build/out/copy") == "print(1)\n");
    std::ofstream(workspace.root / "src/a.py") << "print(2)\n";
    CHECK(run_plan(workspace, plan).result.statuses[0] == StageStatus::success);
    CHECK(run_plan(workspace, plan, jobs(1, false, false)).result.statuses[0] == StageStatus::success); // --no-cache
    CHECK(workspace.read("runs") == "ran\nran\nran\n");
}

TEST_CASE("an unchanged input file is recognised by its size, time and inode without being read") {
    Workspace workspace;
    fs::create_directories(workspace.root / "src");
    fs::path input = workspace.root / "src/a.py";
    std::ofstream(input) << "print(1)\n";
    // Older than the current clock tick, so that its stamp may be trusted.
    auto written = fs::last_write_time(input) - std::chrono::hours(1);
    fs::last_write_time(input, written);
    StageInstance build = stage("build", {shell("cat src/a.py >> copies")});
    build.inputs = {"src/a.py"};
    Plan plan = plan_of({build});
    CHECK(run_plan(workspace, plan).result.statuses[0] == StageStatus::success);
    std::string stamps = workspace.read(".chain/cache/files");
    CHECK(stamps.starts_with("cc42155088fca5730758db72b2a5bca33112a941dfaa2d43098ec422ce4ea213 9 "));
    CHECK(stamps.ends_with(" src/a.py\n"));

    // Same size, same time, same inode: taken as unchanged (as git's index and ninja do).
    { std::fstream(input, std::ios::in | std::ios::out) << "print(2)\n"; }
    fs::last_write_time(input, written);
    CHECK(run_plan(workspace, plan).result.statuses[0] == StageStatus::up_to_date);

    // Any other time: read again, and the change is seen.
    fs::last_write_time(input, written + std::chrono::seconds(1));
    CHECK(run_plan(workspace, plan).result.statuses[0] == StageStatus::success);
    CHECK(workspace.read("copies") == "print(1)\nprint(2)\n");

    // A damaged record only means reading the files again.
    std::ofstream(workspace.root / ".chain/cache/files") << "garbage\n1 2 3\n";
    CHECK(run_plan(workspace, plan).result.statuses[0] == StageStatus::up_to_date);
}

TEST_CASE("a failed test step names the failing tests, read from its JUnit report") {
    Workspace workspace;
    StageInstance tests = stage("tests", {shell("mkdir -p reports && printf '%s' '<testsuite>"
                                                "<testcase classname=\"tests.test_a\" name=\"test_ok\"/>"
                                                "<testcase classname=\"tests.test_a\" name=\"test_bad\">"
                                                "<failure message=\"no\"/></testcase></testsuite>' "
                                                "> reports/junit.xml; exit 1")});
    tests.steps[0].report_format = "junit";
    tests.steps[0].report_path = "reports/junit.xml";
    Outcome outcome = run_plan(workspace, plan_of({tests}));
    CHECK(outcome.result.statuses[0] == StageStatus::failed);
    CHECK(nlohmann::json::parse(outcome.record)["stages"][0]["steps"][0]["summary"] == "2 tests, 1 failed: tests/test_a.py::test_bad");
    CHECK(outcome.record.find("step 1 (sh) failed: exit code 1 — 2 tests, 1 failed: tests/test_a.py::test_bad") !=
          std::string::npos);
}

TEST_CASE("secrets are masked in logs and in the run record") {
    Workspace workspace;
    Plan plan = plan_of({stage("talk", {shell("echo the token is hunter2-secret")})});
    plan.secrets = {"hunter2-secret"};
    Outcome outcome = run_plan(workspace, plan);
    CHECK(outcome.record.find("hunter2") == std::string::npos);
    CHECK(workspace.read(".chain/runs/" + fs::path(outcome.result.record_path).parent_path().filename().string() +
                         "/logs/talk/1-sh.log") == "the token is ***\n");
}

TEST_CASE("branch names and params reach commands as text, never as shell code") {
    Workspace workspace;
    std::string text = "param note: str = \"a;b`touch pwned2`\"\n"
                       "stage s { sh(\"echo ${ref()} > out.txt\") sh([\"sh\", \"-c\", \"echo \\\"$0\\\" > note.txt\", note]) }\n";
    auto source = std::make_shared<SourceFile>("pipeline.chain", text);
    ParseResult parsed = parse(source);
    LoadedProgram program;
    program.files.push_back(std::make_unique<ProgramFile>(ProgramFile{source, std::move(parsed.file), "pipeline.chain"}));
    CheckResult checked = check(std::move(program), stdlib::standard_library(), {});
    REQUIRE_FALSE(has_errors(checked.diagnostics));
    PlanOptions options;
    options.ref = {false, "feature/$(touch pwned)"};
    Plan plan = make_plan(checked.program, options);
    CHECK(run_plan(workspace, plan).result.exit_code == 0);
    CHECK(workspace.read("out.txt") == "feature/$(touch pwned)\n");
    CHECK(workspace.read("note.txt") == "a;b`touch pwned2`\n");
    CHECK_FALSE(fs::exists(workspace.root / "pwned"));
    CHECK_FALSE(fs::exists(workspace.root / "pwned2"));
}

TEST_CASE("a command that does not exist fails its stage with a clear reason") {
    Workspace workspace;
    Outcome outcome = run_plan(workspace, plan_of({stage("s", {{"no-such-program-anywhere", "x"}})}));
    CHECK(outcome.result.exit_code == 1);
    CHECK(outcome.record.find("command not found: no-such-program-anywhere") != std::string::npos);
}

TEST_CASE("a step that prints nothing has no log file, and its failure says so") {
    Workspace workspace;
    Outcome outcome = run_plan(workspace, plan_of({stage("quiet", {shell("exit 0"), shell("echo said; exit 4")}),
                                                   stage("silent", {shell("exit 5")})}),
                               jobs(1, true));
    nlohmann::json record = nlohmann::json::parse(outcome.record);
    fs::path logs = workspace.root / fs::path(outcome.result.record_path).parent_path() / "logs";
    CHECK_FALSE(record["stages"][0]["steps"][0].contains("log"));
    CHECK_FALSE(fs::exists(logs / "quiet" / "1-sh.log"));
    CHECK(record["stages"][0]["steps"][1]["log"] == fs::path(outcome.result.record_path).parent_path().string() +
                                                         "/logs/quiet/2-sh.log");
    CHECK(workspace.read(record["stages"][0]["steps"][1]["log"].get<std::string>()) == "said\n");
    CHECK(record["stages"][1]["reason"] == "step 1 (sh) failed: exit code 5  [no output]");
    CHECK_FALSE(fs::exists(logs / "silent"));
}

TEST_CASE("with no-deps, only the stages named run, as if what they need had succeeded") {
    Workspace workspace;
    RunOptions options = jobs(1);
    options.stages = {"second"};
    options.no_deps = true;
    Outcome outcome = run_plan(workspace,
                               plan_of({stage("first", {shell("touch first")}),
                                        stage("second", {shell("touch second")}, {"first"})}),
                               options);
    CHECK(outcome.result.exit_code == 0);
    CHECK_FALSE(fs::exists(workspace.root / "first"));
    CHECK(fs::exists(workspace.root / "second"));
    CHECK(outcome.result.statuses[0] == StageStatus::not_run);
    CHECK(outcome.result.statuses[1] == StageStatus::success);
}

TEST_CASE("a failed step shows its log's last lines, and what the steps before it reported") {
    Workspace workspace;
    StageInstance check = stage("check", {shell("mkdir -p reports && printf '%s' '<testsuite><testcase classname=\"t\" "
                                                "name=\"a\"/></testsuite>' > reports/junit.xml"),
                                          shell("for i in $(seq 1 30); do echo finding $i; done; exit 1")});
    check.steps[0].report_format = "junit";
    check.steps[0].report_path = "reports/junit.xml";
    Shown shown;
    RunResult result = run_shown(workspace, plan_of({check}), shown);
    CHECK(result.exit_code == 1);
    std::string expected = "        step 1 (sh): 1 test, all passed\n        the last 20 lines of its log:\n";
    for (int i = 11; i <= 30; ++i) {
        expected += fmt::format("          finding {}\n", i);
    }
    INFO(shown.text);
    CHECK(shown.text.find("[log: .chain/runs/" + fs::path(result.record_path).parent_path().filename().string() +
                          "/logs/check/2-sh.log]\n" + expected + "\n") != std::string::npos);
    CHECK(shown.text.find("finding 10\n") == std::string::npos);
    Shown fewer;
    RunOptions options = jobs(1);
    options.failure_log_lines = 2;
    run_shown(workspace, plan_of({check}), fewer, options);
    CHECK(fewer.text.find("the last 2 lines of its log:\n          finding 29\n          finding 30\n\n") !=
          std::string::npos);
}

TEST_CASE("a stage the plan does not run is skipped, and the table lists only the stages --stage considers") {
    Workspace workspace;
    StageInstance later = stage("later", {}, {});
    later.runs = false;
    later.reason = "main does not match";
    StageInstance conditional = later;
    conditional.name = conditional.stage = "conditional";
    Plan plan = plan_of({stage("wanted", {shell("true")}), stage("other", {shell("true")}), conditional});
    Shown all;
    RunResult everything = run_shown(workspace, plan, all);
    CHECK(everything.statuses ==
          std::vector<StageStatus>{StageStatus::success, StageStatus::success, StageStatus::skipped});
    CHECK(all.text.find("  conditional                      skipped") != std::string::npos);
    nlohmann::json record = nlohmann::json::parse(workspace.read(everything.record_path));
    CHECK(record["stages"][2]["status"] == "skipped");
    CHECK(record["stages"][2]["reason"] == "main does not match");
    RunOptions options = jobs(1);
    options.stages = {"wanted"};
    Shown selected;
    RunResult one = run_shown(workspace, plan, selected, options);
    CHECK(one.statuses == std::vector<StageStatus>{StageStatus::success, StageStatus::not_run, StageStatus::skipped});
    CHECK(selected.text.find("  wanted ") != std::string::npos);
    CHECK(selected.text.find("  other ") == std::string::npos);
    CHECK(selected.text.find("  conditional ") == std::string::npos);
}

TEST_CASE("a stage allowed to fail is failed (allowed): what needs it runs with what it made, and the run succeeds") {
    Workspace workspace;
    StageInstance flaky = stage("flaky", {shell("n=$(cat tries 2>/dev/null || echo 0); echo $((n+1)) > tries; "
                                                "echo 'E501 line too long' > .chain/out/flaky/report/findings.txt; exit 1")});
    flaky.allow_failure = true;
    flaky.retries = 1;
    flaky.artifacts["report"] = ".chain/out/flaky/report";
    flaky.artifacts["wheel"] = ".chain/out/flaky/wheel";
    flaky.outputs = {".chain/out/flaky/report", ".chain/out/flaky/wheel"};
    StageInstance reads = stage("reads", {shell("cat .chain/out/flaky/report/findings.txt > seen")}, {"flaky"});
    Shown shown;
    RunResult result = run_shown(workspace, plan_of({flaky, reads}), shown);
    CHECK(result.exit_code == 0);
    CHECK(workspace.read("tries") == "2\n"); // retried first, then allowed to fail
    CHECK(result.statuses == std::vector<StageStatus>{StageStatus::failed, StageStatus::success});
    CHECK(workspace.read("seen") == "E501 line too long\n");
    CHECK(shown.text.find("failed (allowed)  flaky  ") != std::string::npos);
    CHECK(shown.text.find("run succeeded:") != std::string::npos);
    // The table's status column widens to `failed (allowed)`.
    CHECK(shown.text.find(fmt::format("\n  {:<32} {:<16} ", "flaky", "failed (allowed)")) != std::string::npos);
    CHECK(shown.text.find(fmt::format("\n  {:<32} {:<16} ", "reads", "success")) != std::string::npos);
    nlohmann::json record = nlohmann::json::parse(workspace.read(result.record_path));
    CHECK(record["status"] == "success");
    CHECK(record["stages"][0]["status"] == "failed");
    CHECK(record["stages"][0]["allowed"] == true);
    CHECK(record["stages"][0]["attempts"] == 2);
    CHECK(record["stages"][0]["artifacts"].contains("report"));
    CHECK_FALSE(record["stages"][0]["artifacts"].contains("wheel")); // an empty folder is nothing made
    CHECK_FALSE(record["stages"][1].contains("allowed"));

    // A stage that uses an artifact the failed stage did not make fails before it runs, naming it.
    Workspace missing;
    StageInstance uses_wheel = stage("install", {shell("touch ran; ls .chain/out/flaky/wheel/*.whl")}, {"flaky"});
    Outcome outcome = run_plan(missing, plan_of({flaky, uses_wheel}));
    CHECK(outcome.result.exit_code == 1);
    CHECK(outcome.result.statuses == std::vector<StageStatus>{StageStatus::failed, StageStatus::failed});
    CHECK_FALSE(fs::exists(missing.root / "ran"));
    CHECK(outcome.record.find("needs the artifact flaky.wheel, which 'flaky' did not make: it failed (allowed)") !=
          std::string::npos);
    CHECK(nlohmann::json::parse(outcome.record)["status"] == "failed");
}

TEST_CASE("a step's environment reaches its process") {
    Workspace workspace;
    StageInstance greets = stage("greets", {shell("echo \"$GREETING $WHO\" > out")});
    greets.steps[0].env = {{"GREETING", "hi"}, {"WHO", "there"}};
    CHECK(run_plan(workspace, plan_of({greets})).result.exit_code == 0);
    CHECK(workspace.read("out") == "hi there\n");
}

TEST_CASE("a rehearsal runs every step but the effects, shows them as what they would do, and caches none") {
    Workspace workspace;
    StageInstance build = stage("build", {shell("mkdir -p out && echo wheel > out/acme-1.0-py3-none-any.whl")});
    StageInstance ship = stage("ship", {shell("echo before > before")}, {"build"});
    ship.inputs = {"out/**"};
    ship.steps.push_back(stdlib::publish_to_folder_index("publish", "out", "index", "published.txt"));
    ship.steps.back().effect = true;
    ship.steps.push_back(stdlib::command("sh", shell("echo shipped > shipped")));
    ship.steps.back().effect = true;
    ship.steps.push_back(stdlib::command("sh", shell("echo after > after")));
    Plan plan = plan_of({build, ship});
    RunOptions options = jobs(1);
    options.rehearse = true;
    Shown shown;
    RunResult result = run_shown(workspace, plan, shown, options);
    CHECK(result.exit_code == 0);
    CHECK(fs::exists(workspace.root / "before"));
    CHECK(fs::exists(workspace.root / "after"));
    CHECK_FALSE(fs::exists(workspace.root / "index"));
    CHECK_FALSE(fs::exists(workspace.root / "shipped"));
    CHECK(shown.text.find("[ship] would publish out/acme-1.0-py3-none-any.whl to index\n") != std::string::npos);
    CHECK(shown.text.find("[ship] would sh: sh -c 'echo shipped > shipped'\n") != std::string::npos);
    auto record = nlohmann::json::parse(workspace.read(result.record_path));
    CHECK(record["rehearsal"] == true);
    const auto& steps = record["stages"][1]["steps"];
    CHECK(steps[1]["status"] == "rehearsed");
    CHECK(steps[2]["message"] == "would sh: sh -c 'echo shipped > shipped'");
    CHECK_FALSE(steps[3].contains("status"));

    // The real run that follows is not told that ship is up to date: it publishes.
    Outcome real = run_plan(workspace, plan);
    CHECK(real.result.statuses == std::vector<StageStatus>{StageStatus::success, StageStatus::success});
    CHECK(fs::exists(workspace.root / "shipped"));
    CHECK(fs::exists(workspace.root / "index/simple/acme/acme-1.0-py3-none-any.whl"));
}
