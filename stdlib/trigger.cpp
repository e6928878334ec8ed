#include "builtin.hpp"

#include <fmt/format.h>

#include <cstdlib>

namespace chain::stdlib {

namespace {

/// The wheels and sdists of `with` go to `index:` first (a folder index), so that the downstream
/// installs these very builds; then the downstream pipeline runs.
Value plan_trigger(const Invocation& call, std::vector<Step>& steps) {
    const Value* with = call.arg(1);
    const Value* index = call.arg(2);
    if (with && index && !index->field("url")) {
        for (const auto& [name, value] : with->fields) {
            if (value.kind == Value::Kind::artifact && (value.artifact_kind & (artifact_sdist | artifact_wheel))) {
                steps.push_back(publish_to_folder_index(
                    "trigger", value.text, index->text,
                    fmt::format("{}/published-{}.txt", call.scratch, steps.size() + 1)));
            }
        }
    }
    std::string record = call.scratch + "/downstream-run.json";
    // Inside a run of `chain serve` the downstream is a run of the server, linked to this one, rather than a
    // pipeline run in this run's folder.
    Step step = std::getenv("CHAIN_SERVER_URL")
                    ? command("trigger", {call.chain_program, "serve-trigger", call.text(0), "--ref",
                                          (call.ref_is_tag ? "refs/tags/" : "refs/heads/") + call.ref_name,
                                          "--record-copy", record})
                    : command("trigger", {call.chain_program, "run", call.ref_is_tag ? "--tag" : "--branch",
                                          call.ref_name, "--record-copy", record, call.text(0) + "/pipeline.chain"});
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

} // namespace

void add_trigger(std::vector<Builtin>& out) {
    out.push_back(Builtin{"trigger",
                          "Run a downstream repository's pipeline on the same ref kind, with these artifacts",
                          {param("repo", Type::of(Type::str), true), param("with", Type::of(Type::record), false, "{}"),
                           param("index", Type::target_of(target_pypi))},
                          BlockUse::none,
                          returns(Type::of(Type::none)),
                          nullptr,
                          plan_trigger,
                          Effect::always});
}

} // namespace chain::stdlib
