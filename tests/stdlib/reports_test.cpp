#include "stdlib/reports.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using chain::stdlib::summarize_report;
namespace fs = std::filesystem;

namespace {

fs::path written(const std::string& name, const std::string& text) {
    fs::path file = fs::temp_directory_path() / ("chain-reports-test-" + name);
    std::ofstream(file) << text;
    return file;
}

} // namespace

TEST_CASE("a JUnit report from pytest is summarised with the failing tests by node id") {
    fs::path file = written("junit.xml", R"(<?xml version="1.0" encoding="utf-8"?><testsuites>
<testsuite name="pytest" errors="0" failures="1" skipped="1" tests="4">
<testcase classname="tests.test_text" name="test_slugify" time="0.001" />
<testcase classname="tests.test_text" name="test_empty&lt;1&gt;" time="0.001"><failure message="assert">x</failure></testcase>
<testcase classname="tests.test_text" name="test_later" time="0.0"><skipped message="later" /></testcase>
<testcase classname="tests.test_cli" name="test_check" time="0.1"></testcase>
</testsuite></testsuites>)");
    CHECK(summarize_report("junit", file) == "4 tests, 1 skipped, 1 failed: tests/test_text.py::test_empty<1>");
    fs::remove(file);
}

TEST_CASE("a JUnit report from unittest's xmlrunner names the file and the class") {
    fs::path file = written("xmlrunner.xml", R"(<testsuites><testsuite name="tests.test_x.T" tests="2" file="tests/test_x.py">
<testcase classname="tests.test_x.T" name="test_a" file="tests/test_x.py" line="3"/>
<testcase classname="tests.test_x.T" name="test_b" file="tests/test_x.py" line="5"><failure type="AssertionError" message="1 != 2"/></testcase>
</testsuite></testsuites>)");
    CHECK(summarize_report("junit", file) == "2 tests, 1 failed: tests/test_x.py::T::test_b");
    fs::remove(file);
}

TEST_CASE("a JUnit report with only passing tests") {
    fs::path file = written("pass.xml", R"(<testsuite><testcase classname="t" name="a"/></testsuite>)");
    CHECK(summarize_report("junit", file) == "1 test, all passed");
    fs::remove(file);
}

TEST_CASE("flake8 findings are counted, coverage is read from its XML") {
    fs::path findings = written("flake8.txt", "src/a.py:1:1: F401 'os' imported but unused\nsrc/a.py:3:80: E501 x\n");
    CHECK(summarize_report("flake8", findings) == "2 findings");
    std::ofstream(findings, std::ios::trunc) << "";
    CHECK(summarize_report("flake8", findings) == "no findings");
    fs::path coverage = written("coverage.xml", R"(<?xml version="1.0" ?>
<coverage version="6.5.0" timestamp="1" lines-valid="38" lines-covered="26" line-rate="0.6842" branches-covered="0">)");
    CHECK(summarize_report("coverage", coverage) == "coverage 68%");
    fs::remove(findings);
    fs::remove(coverage);
}

TEST_CASE("a report that is missing or unreadable has no summary") {
    CHECK(summarize_report("junit", "/nonexistent/junit.xml") == "");
    fs::path broken = written("broken.xml", "<coverage line-rate=\"abc\">");
    CHECK(summarize_report("coverage", broken) == "");
    fs::remove(broken);
}

TEST_CASE("a downstream run record is summarised with the stages that ran") {
    fs::path record = written("run.json", R"({"run": "x", "pipeline": "acme-web", "ref": {"kind": "branch",
        "name": "develop"}, "status": "success", "stages": [{"name": "test[python=3.11]", "status": "success"},
        {"name": "debian", "status": "not-run"}]})");
    CHECK(summarize_report("chain-run", record) == "acme-web on branch develop: success (test[python=3.11] success)");
    std::ofstream(record, std::ios::trunc) << "{ not json";
    CHECK(summarize_report("chain-run", record) == "");
    fs::remove(record);
}

TEST_CASE("a coverage figure below the minimum says so, compared as coverage.py's --fail-under compares it") {
    fs::path file = written("minimum.xml", R"(<?xml version="1.0" ?>
<coverage version="6.5.0" lines-valid="38" lines-covered="23" line-rate="0.6053" branches-covered="1" branches-valid="2">)");
    // Lines and branches together, as coverage.py's total: 24 of 40.
    CHECK(summarize_report("coverage", file) == "coverage 60%");
    CHECK(summarize_report("coverage:80", file) == "coverage 60%, below the minimum 80%");
    CHECK(summarize_report("coverage:99.5", file) == "coverage 60%, below the minimum 99.5%");
    CHECK(summarize_report("coverage:60", file) == "coverage 60%");
    fs::remove(file);
    fs::path rounded = written("rounded.xml", R"(<coverage lines-valid="200" lines-covered="199">)");
    CHECK(summarize_report("coverage:100", rounded) == "coverage 99%, below the minimum 100%");
    fs::remove(rounded);
    rounded = written("rounded.xml", R"(<coverage lines-valid="400" lines-covered="398">)"); // 99.5 rounds to 100
    CHECK(summarize_report("coverage:100", rounded) == "coverage 99%, below the minimum 100%");
    CHECK(summarize_report("coverage:99.5", rounded) == "coverage 99%");
    fs::remove(rounded);
}
