#pragma once
// The one-line summaries of the reports that test, lint and coverage write: what a user reads first
// when a stage fails (SPEC section 6).

#include <filesystem>
#include <optional>
#include <string>

namespace chain::stdlib {

/// The summary of a report in `format` (junit, flake8, coverage, chain-run) at `file`; "" when there is none.
/// junit: `12 tests, 1 failed: tests/test_slug.py::test_empty`; flake8: `3 findings`;
/// coverage: `coverage 67%`; coverage:MIN (the minimum percent, `coverage:80`): the same, followed by
/// `, below the minimum 80%` when it is; text: its first line, as written.
std::string summarize_report(const std::string& format, const std::filesystem::path& file);

/// The total of a coverage.py XML report in percent, lines and branches counted as coverage.py's report
/// counts them; nullopt when the text is no such report.
std::optional<double> coverage_percent(const std::string& xml);

} // namespace chain::stdlib
