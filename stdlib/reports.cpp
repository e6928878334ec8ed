#include "reports.hpp"

#include "files.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>
#include <vector>

namespace chain::stdlib {

namespace {

/// The value of `name="..."` in an XML start tag, with the five predefined entities decoded.
std::string attribute(std::string_view tag, std::string_view name) {
    std::string key = fmt::format(" {}=\"", name);
    std::size_t at = tag.find(key);
    if (at == std::string_view::npos) {
        return "";
    }
    at += key.size();
    std::string_view raw = tag.substr(at, tag.find('"', at) - at);
    std::string value;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '&') {
            value += raw[i];
            continue;
        }
        std::size_t end = raw.find(';', i);
        std::string_view entity = raw.substr(i + 1, end - i - 1);
        value += entity == "lt" ? "<" : entity == "gt" ? ">" : entity == "quot" ? "\"" : entity == "apos" ? "'" : "&";
        i = end == std::string_view::npos ? raw.size() : end;
    }
    return value;
}

/// A failing test as pytest names it: `tests/test_slug.py::test_empty`. pytest's `classname` is the
/// module path with dots; xmlrunner (unittest) gives the `file` and a classname ending in the class.
std::string test_id(std::string_view testcase) {
    std::string classname = attribute(testcase, "classname");
    std::string name = attribute(testcase, "name");
    if (std::string file = attribute(testcase, "file"); !file.empty()) {
        return file + "::" + classname.substr(classname.rfind('.') + 1) + "::" + name;
    }
    if (classname.empty()) {
        return name;
    }
    for (char& c : classname) {
        c = c == '.' ? '/' : c;
    }
    return classname + ".py::" + name;
}

std::string summarize_junit(const std::string& xml) {
    std::size_t tests = 0;
    std::size_t skipped = 0;
    std::vector<std::string> failed;
    for (std::size_t at = xml.find("<testcase"); at != std::string::npos; at = xml.find("<testcase", at + 1)) {
        std::size_t open_end = xml.find('>', at);
        if (open_end == std::string::npos) {
            break;
        }
        std::string_view start_tag(xml.data() + at, open_end - at);
        ++tests;
        if (start_tag.ends_with("/")) {
            continue;
        }
        std::size_t close = xml.find("</testcase>", open_end);
        std::string_view body(xml.data() + open_end, (close == std::string::npos ? xml.size() : close) - open_end);
        if (body.find("<failure") != std::string_view::npos || body.find("<error") != std::string_view::npos) {
            failed.push_back(test_id(start_tag));
        } else if (body.find("<skipped") != std::string_view::npos) {
            ++skipped;
        }
    }
    std::string summary = fmt::format("{} test{}", tests, tests == 1 ? "" : "s");
    if (skipped) {
        summary += fmt::format(", {} skipped", skipped);
    }
    if (failed.empty()) {
        return summary + ", all passed";
    }
    constexpr std::size_t shown = 5;
    summary += fmt::format(", {} failed: ", failed.size());
    for (std::size_t i = 0; i < failed.size() && i < shown; ++i) {
        summary += (i ? ", " : "") + failed[i];
    }
    if (failed.size() > shown) {
        summary += fmt::format(" and {} more", failed.size() - shown);
    }
    return summary;
}

std::string summarize_findings(const std::string& text) {
    std::size_t count = 0;
    for (std::size_t at = 0; at < text.size();) {
        std::size_t end = text.find('\n', at);
        if (end == std::string::npos) {
            end = text.size();
        }
        count += end > at;
        at = end + 1;
    }
    return count == 0 ? "no findings" : fmt::format("{} finding{}", count, count == 1 ? "" : "s");
}

/// A number attribute of a start tag, or nullopt.
std::optional<double> number_attribute(std::string_view tag, std::string_view name) {
    std::string text = attribute(tag, name);
    double number = 0;
    if (text.empty() || std::from_chars(text.data(), text.data() + text.size(), number).ec != std::errc()) {
        return std::nullopt;
    }
    return number;
}

/// `coverage 61%`, and with a `minimum` it is below, `coverage 61%, below the minimum 80%`. The total
/// counts lines and branches, as coverage.py's report does, and is compared with the minimum as
/// `coverage report --fail-under` compares it: rounded to a whole percent, 100 only when nothing is missed.
/// It is shown as coverage.py shows it.
std::string summarize_coverage(const std::string& xml, std::string_view minimum) {
    std::optional<double> percent = coverage_percent(xml);
    if (!percent) {
        return "";
    }
    double rounded = std::nearbyint(*percent); // to even, as Python's round()
    // As coverage.py shows it: 100% and 0% only when exactly so.
    double shown = *percent > 0 && *percent < 1 ? 1 : *percent > 99 && *percent < 100 ? 99 : rounded;
    std::string summary = fmt::format("coverage {:.0f}%", shown);
    double wanted = 0;
    if (!minimum.empty() &&
        std::from_chars(minimum.data(), minimum.data() + minimum.size(), wanted).ec == std::errc() &&
        (wanted == 100 ? *percent < 100 : rounded < wanted)) {
        summary += fmt::format(", below the minimum {}%", minimum);
    }
    return summary;
}

/// A downstream pipeline's run record: `acme-web on branch develop: success (test[python=3.11] success)`.
std::string summarize_run(const std::string& text) {
    nlohmann::json record = nlohmann::json::parse(text, nullptr, false);
    if (record.is_discarded() || !record.is_object()) {
        return "";
    }
    std::string stages;
    for (const auto& stage : record.value("stages", nlohmann::json::array())) {
        std::string status = stage.value("status", "");
        if (status != "not-run" && status != "skipped") { // what the downstream did, not what it left out
            stages += fmt::format("{}{} {}", stages.empty() ? "" : ", ", stage.value("name", ""), status);
        }
    }
    const nlohmann::json& ref = record.value("ref", nlohmann::json::object());
    return fmt::format("{} on {} {}: {}{}", record.value("pipeline", ""), ref.value("kind", ""), ref.value("name", ""),
                       record.value("status", ""), stages.empty() ? "" : " (" + stages + ")");
}

} // namespace

std::optional<double> coverage_percent(const std::string& xml) {
    std::size_t at = xml.find("<coverage");
    if (at == std::string::npos) {
        return std::nullopt;
    }
    std::string_view tag = std::string_view(xml).substr(at, xml.find('>', at) - at);
    auto lines = number_attribute(tag, "lines-valid");
    auto lines_covered = number_attribute(tag, "lines-covered");
    if (lines && lines_covered) {
        double valid = *lines + number_attribute(tag, "branches-valid").value_or(0);
        double covered = *lines_covered + number_attribute(tag, "branches-covered").value_or(0);
        return valid > 0 ? 100 * covered / valid : 100;
    }
    if (auto rate = number_attribute(tag, "line-rate")) {
        return 100 * *rate;
    }
    return std::nullopt;
}

std::string summarize_report(const std::string& format, const std::filesystem::path& file) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(file, error)) {
        return "";
    }
    std::string text = read_file(file);
    if (format == "junit") {
        return summarize_junit(text);
    }
    if (format == "flake8") {
        return summarize_findings(text);
    }
    if (format == "coverage" || format.starts_with("coverage:")) {
        return summarize_coverage(text, format == "coverage" ? "" : std::string_view(format).substr(9));
    }
    if (format == "chain-run") {
        return summarize_run(text);
    }
    if (format == "text") { // a summary chain's own step wrote
        return text.substr(0, text.find('\n'));
    }
    if (format == "digest") { // podman push --digestfile
        std::size_t end = text.find_first_of(" \n");
        return "pushed " + text.substr(0, end);
    }
    return "";
}

} // namespace chain::stdlib
