#pragma once
// Values as the planner computes them, and the steps builtins turn them into.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chain::stdlib {

/// A chain value at plan time.
struct Value {
    enum class Kind { none, str, int_, bool_, duration, percent, cond, list, record, target, artifact };

    Kind kind = Kind::none;
    std::string text;  // str: the text; target: its location; artifact: its path
    std::string shell; // str: the text with every `${...}` shell-quoted, for sh("...")
    std::int64_t number = 0; // int; duration in ms; bool and cond: 0 or 1
    double percent = 0;
    std::uint16_t artifact_kind = 0;
    std::uint8_t target_kind = 0;
    std::vector<Value> items;                          // list
    std::vector<std::pair<std::string, Value>> fields; // record; a target's options
    bool secret = false; // made from a secret: shown as *** everywhere

    // Out of line: a Value holds vectors of Values, which clang instantiates only once Value is complete.
    Value();
    ~Value();
    Value(const Value&);
    Value(Value&&) noexcept;
    Value& operator=(const Value&);
    Value& operator=(Value&&) noexcept;

    static Value none();
    static Value of_text(std::string text);
    static Value of_int(std::int64_t number);
    static Value of_bool(bool flag);

    const Value* field(std::string_view name) const;
};

/// The text form of a value: what `${...}` inserts and what an argv element holds.
std::string text_of(const Value& value);
/// The value as chain source would write it: `"1.4.0rc3"`, `["3.11", "3.12"]`, `80%`, `pypi("../.index")`;
/// a secret as `***`.
std::string literal_of(const Value& value);
/// One shell word that stands for `text` exactly.
std::string shell_quote(std::string_view text);
/// A duration in its shortest exact unit: 90000 -> `90s`, 600000 -> `10m`.
std::string duration_text(std::int64_t milliseconds);

/// One thing a stage does: a process to spawn (argv), or an action chain performs itself.
struct Step {
    std::string builtin;
    std::vector<std::string> argv; // empty when chain itself does `action`
    std::string action;            // what chain does itself, in words
    std::vector<std::string> action_args; // for actions chain can perform: "collect" SOURCE DESTINATION
    std::vector<std::pair<std::string, std::string>> env;
    std::string root;    // inside this chroot (shown in plans; the argv itself enters it)
    std::string workdir; // relative to the repository (empty: its root)
    /// A report the step writes, summarised in one line after it ends, failed or not (see reports.hpp).
    std::string report_format; // junit, flake8, coverage; empty: none
    std::string report_path;   // relative to the repository
    /// When this path (relative to the repository) exists, the step is skipped: a cached base made once.
    std::string creates;
    /// Files of the repository (relative to it) the step reads besides the stage's `inputs` (a coverage
    /// floor): a cached stage runs again when one of them changes.
    std::vector<std::string> reads;
    /// It changes something outside the run's own folders (Effect in builtin.hpp): `run --rehearse` shows it
    /// instead of running it.
    bool effect = false;
};

} // namespace chain::stdlib
