#include "interpreter/repl.hpp"

#include "tests/temp_folder.hpp"

#include <catch2/catch.hpp>

#include <cstdio>

using namespace chain;

namespace {

constexpr const char* pipeline = R"(pipeline "demo"
param pythons: list<str> = ["3.11"]
stage test when develop | release/* matrix python in pythons { test(runner: pytest, python: python) }
stage build needs test when develop { sh(["touch", "built"]) }
)";

ReplSettings on_develop(const test::TempFolder& folder) {
    folder.write("pipeline.chain", pipeline);
    ReplSettings settings;
    settings.file = (folder.root / "pipeline.chain").string();
    settings.ref = refs::Ref{false, "develop"};
    return settings;
}

} // namespace

TEST_CASE("an entry goes on while a brace, bracket or parenthesis is open outside strings and comments") {
    CHECK(ReplSession::continues("stage a {\n"));
    CHECK(ReplSession::continues("let x = [1,\n"));
    CHECK(ReplSession::continues("test(runner: pytest,\n"));
    CHECK_FALSE(ReplSession::continues("stage a { sh([\"true\"]) }\n"));
    CHECK_FALSE(ReplSession::continues("let s = \"{ ${version()} [\"\n"));
    CHECK_FALSE(ReplSession::continues("let s = \"\\\"{\"\n"));
    CHECK_FALSE(ReplSession::continues("1 # {\n"));
}

TEST_CASE("an expression prints its value on the session's ref and its type") {
    test::TempFolder folder;
    ReplSession session(on_develop(folder));
    CHECK(session.eval("pythons + [\"3.12\"]").output == "[\"3.11\", \"3.12\"] : list<str>\n");
    CHECK(session.eval("ref()").output == "\"develop\" : str\n");
    CHECK(session.eval("develop | release/*").output == "true : cond\n");
    session.eval(":branch feature/x");
    CHECK(session.eval("develop | release/*").output == "false : cond\n");
    CHECK(session.eval(":type 30s").output == "duration\n");
}

TEST_CASE("a declaration is checked with the program, and a bad one is refused and changes nothing") {
    test::TempFolder folder;
    ReplSession session(on_develop(folder));
    ReplReply bad = session.eval("stage deploy needs biuld { sh([\"true\"]) }");
    CHECK(bad.error);
    CHECK(bad.output.find("<repl>:1:20: error[E0202]: unknown stage 'biuld'") != std::string::npos);
    CHECK(bad.output.find("not added") != std::string::npos);
    CHECK(session.eval(":plan deploy").error);

    ReplReply good = session.eval("stage deploy needs build when develop { sh([\"true\"]) }");
    CHECK_FALSE(good.error);
    CHECK(good.output == "added stage 'deploy'\n");
    CHECK(session.eval(":plan deploy").output.find("deploy  runs: develop matches") != std::string::npos);
}

TEST_CASE("a declaration replaces one of the same name, so a condition can be tried out") {
    test::TempFolder folder;
    ReplSession session(on_develop(folder));
    CHECK(session.eval(":plan build").output.find("build  runs: develop matches") != std::string::npos);
    ReplReply replaced = session.eval("stage build needs test when release/* { sh([\"true\"]) }");
    CHECK(replaced.output.find("replaced stage 'build' of ") != std::string::npos);
    CHECK(replaced.output.find("pipeline.chain:4\n") != std::string::npos);
    CHECK(session.eval(":plan build").output.find("build  skipped: release/* does not match") != std::string::npos);
    ReplReply reloaded = session.eval(":reload");
    CHECK(reloaded.output.find("reloaded ") != std::string::npos);
    CHECK(session.eval(":plan build").output.find("build  skipped") != std::string::npos);
}

TEST_CASE("completion offers commands, stage names, keyword arguments and enum words") {
    test::TempFolder folder;
    ReplSession session(on_develop(folder));
    CHECK(session.complete(":pl") == std::vector<std::string>{":plan"});
    CHECK(session.complete(":why b") == std::vector<std::string>{"build"});
    CHECK(session.complete("test(ru") == std::vector<std::string>{"runner:"});
    CHECK(session.complete("test(runner: to") == std::vector<std::string>{"tox"});
    CHECK(session.complete("pac") == std::vector<std::string>{"package"});
    CHECK(session.complete("pyth") == std::vector<std::string>{"pythons"});
}

TEST_CASE(":param shows where each param, let and secret got its value, never a secret's value") {
    test::TempFolder folder;
    ReplSettings settings = on_develop(folder);
    folder.write("pipeline.chain", "param target: str = \"staging\"\n"
                                   "secret token = env(\"CHAIN_REPL_PARAM_TOKEN\")\n"
                                   "let greeting = \"deploying to \" + target\n"
                                   "stage notify { sh([\"echo\", greeting], env: { TOKEN: token }) }\n"
                                   "stage other { sh([\"true\"]) }\n");
    std::string file = (folder.root / "pipeline.chain").string();
    ::setenv("CHAIN_REPL_PARAM_TOKEN", "hunter2-but-longer", 1);
    ReplSession session(settings);
    std::string all = session.eval(":param").output;
    CHECK(all.find(": 3 values\n"
                   "param target = \"staging\"  # default (" + file + ":1)\n"
                   "secret token = ***  # env CHAIN_REPL_PARAM_TOKEN, set\n"
                   "let greeting = \"deploying to staging\"  # " + file + ":3\n") != std::string::npos);
    // A stage's own: the let and what it was made of, and the secret.
    std::string notify = session.eval(":param notify").output;
    CHECK(notify.find(": 3 values\n") != std::string::npos);
    CHECK(notify.find("secret token = ***  # env CHAIN_REPL_PARAM_TOKEN, set\n") != std::string::npos);
    CHECK(session.eval(":param other").output.find(": 0 values\n") != std::string::npos);
    session.eval(":param target=production");
    CHECK(session.eval(":param notify").output.find("param target = \"production\"  # set with :param or -p\n") !=
          std::string::npos);
    ::unsetenv("CHAIN_REPL_PARAM_TOKEN");
    CHECK(session.eval(":param").output.find("secret token = ***  # env CHAIN_REPL_PARAM_TOKEN, not set\n") !=
          std::string::npos);
    CHECK(session.eval(":param notfy").output == "unknown stage 'notfy'; did you mean 'notify'?\n");
    for (const std::string& shown : {all, notify}) {
        CHECK(shown.find("hunter2") == std::string::npos);
    }
}

TEST_CASE(":run asks first, then really runs the stage and what it needs") {
    test::TempFolder folder;
    ReplSettings settings = on_develop(folder);
    folder.write("pipeline.chain", "stage first { sh([\"touch\", \"first\"]) }\n"
                                   "stage second needs first { sh([\"touch\", \"second\"]) }\n"
                                   "stage other { sh([\"touch\", \"other\"]) }\n");
    ReplSession session(settings);
    ReplReply asked = session.eval(":run second");
    CHECK(asked.question.find("run first, second on branch develop for real") == 0);
    CHECK(session.answer(false, stdout).output == "not run\n");
    CHECK_FALSE(std::filesystem::exists(folder.root / "second"));

    session.eval(":run second");
    std::FILE* sink = std::fopen("/dev/null", "w");
    ReplReply ran = session.answer(true, sink);
    std::fclose(sink);
    CHECK_FALSE(ran.error);
    CHECK(std::filesystem::exists(folder.root / "first"));
    CHECK(std::filesystem::exists(folder.root / "second"));
    CHECK_FALSE(std::filesystem::exists(folder.root / "other"));
}
