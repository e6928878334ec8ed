#include "trigger.hpp"

#include "actions.hpp"
#include "builtin.hpp"

#include <fmt/format.h>

#include <cstdlib>

namespace chain::stdlib {

namespace {

constexpr std::string_view heads = "refs/heads/";
constexpr std::string_view tags = "refs/tags/";

/// A ref as a message shows it: control characters written as `\xNN`, so that none reaches a terminal.
std::string shown(std::string_view ref) {
    std::string text;
    for (char c : ref) {
        auto byte = static_cast<unsigned char>(c);
        text += byte < 0x20 || byte == 0x7f ? fmt::format("\\x{:02x}", byte) : std::string(1, c);
    }
    return text;
}

/// Why a branch or tag name (without refs/heads/ or refs/tags/) is not one, or "".
std::string name_problem(std::string_view name) {
    if (name.empty()) {
        return "it is empty";
    }
    for (char c : name) {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            return "it has a control character";
        }
        if (c == ' ') {
            return "it has a space";
        }
        if (std::string_view("~^:?*[\\").find(c) != std::string_view::npos) {
            return fmt::format("it has '{}', which git does not allow in a ref", c);
        }
    }
    if (name.find("..") != std::string_view::npos) {
        return "it has '..'";
    }
    if (name.find("@{") != std::string_view::npos || name == "@") {
        return "it has '@{' or is '@'";
    }
    if (name.front() == '/' || name.back() == '/' || name.find("//") != std::string_view::npos) {
        return "it has an empty part (a '/' at either end, or '//')";
    }
    if (name.back() == '.') {
        return "it ends with '.'";
    }
    for (std::size_t start = 0; start <= name.size();) {
        std::size_t end = std::min(name.find('/', start), name.size());
        std::string_view part = name.substr(start, end - start);
        if (part.front() == '.') {
            return "a part of it starts with '.'";
        }
        if (part.front() == '-') {
            return "a part of it starts with '-' (a command would read it as an option)";
        }
        if (part.ends_with(".lock")) {
            return "a part of it ends with '.lock'";
        }
        start = end + 1;
    }
    return "";
}

/// The wheels and sdists of `with` go to `index:` first (a folder index), so that the downstream
/// installs these very builds; then the downstream pipeline runs.
Value plan_trigger(const Invocation& call, std::vector<Step>& steps) {
    const Value* with = call.arg(1);
    const Value* index = call.arg(2);
    std::string given = call.text(3);
    std::string ref = downstream_ref(given, call.ref_is_tag, call.ref_name);
    // The ref becomes an argument of a command: nothing of the call is carried out with one that is no ref.
    if (std::string problem = downstream_ref_problem(given.empty() ? ref : given); !problem.empty()) {
        steps.push_back(refusal("trigger", "trigger's ref " + problem));
        return Value::none();
    }
    if (with && index && !index->field("url")) {
        for (const auto& [name, value] : with->fields) {
            if (value.kind == Value::Kind::artifact && (value.artifact_kind & (artifact_sdist | artifact_wheel))) {
                steps.push_back(publish_to_folder_index(
                    "trigger", value.text, index->text,
                    fmt::format("{}/published-{}.txt", call.scratch, steps.size() + 1)));
            }
        }
    }
    std::string record = call.in_scratch("downstream-run.json");
    bool tag = ref.starts_with(tags);
    // Inside a run of `chain serve` the downstream is a run of the server, linked to this one, rather than a
    // pipeline run in this run's folder.
    Step step = std::getenv("CHAIN_SERVER_URL")
                    ? command("trigger", {std::string(call.chain_program), "serve-trigger", call.text(0), "--ref", ref,
                                          "--record-copy", record})
                    : command("trigger", {std::string(call.chain_program), "run", tag ? "--tag" : "--branch",
                                          ref.substr(tag ? tags.size() : heads.size()), "--record-copy", record,
                                          call.text(0) + "/pipeline.chain"});
    step.report_format = "chain-run";
    step.report_path = record;
    if (with) {
        for (const auto& [name, value] : with->fields) {
            step.env.emplace_back("CHAIN_UPSTREAM_" + name, text_of(value));
        }
    }
    steps.push_back(std::move(step));
    return Value::none();
}

/// A ref written out in the call is checked where it is written.
std::vector<CallProblem> check_ref(const CallSite& call) {
    std::vector<CallProblem> problems;
    if (std::optional<std::string> ref = call.has(3) ? ast::literal_text(*call.args[3]) : std::nullopt) {
        if (std::string problem = downstream_ref_problem(*ref); !problem.empty()) {
            problems.push_back({3, "E0233", "trigger's ref " + problem,
                                "name a branch, like \"develop\", or a tag as \"refs/tags/v1.0.0\""});
        }
    }
    return problems;
}

} // namespace

std::string downstream_ref_problem(std::string_view ref) {
    std::string_view name = ref;
    if (ref.starts_with(heads)) {
        name.remove_prefix(heads.size());
    } else if (ref.starts_with(tags)) {
        name.remove_prefix(tags.size());
    } else if (ref.starts_with("refs/")) {
        return fmt::format("'{}' cannot name a branch or tag: a full ref is refs/heads/NAME or refs/tags/NAME",
                           shown(ref));
    }
    std::string problem = name_problem(name);
    return problem.empty() ? "" : fmt::format("'{}' cannot name a branch or tag: {}", shown(ref), problem);
}

std::string downstream_ref(std::string_view ref, bool upstream_is_tag, std::string_view upstream_name) {
    if (ref.empty()) {
        return fmt::format("{}{}", upstream_is_tag ? tags : heads, upstream_name);
    }
    return ref.starts_with("refs/") ? std::string(ref) : fmt::format("{}{}", heads, ref);
}

void add_trigger(std::vector<Builtin>& out) {
    out.push_back(Builtin{"trigger",
                          "Run a downstream repository's pipeline on the same branch or tag, or at `ref`, with these artifacts",
                          {param("repo", Type::of(Type::str), true), param("with", Type::of(Type::record), false, "{}"),
                           param("index", Type::target_of(target_pypi)), param("ref", Type::of(Type::str))},
                          BlockUse::none,
                          returns(Type::of(Type::none)),
                          check_ref,
                          plan_trigger,
                          Effect::always});
}

} // namespace chain::stdlib
