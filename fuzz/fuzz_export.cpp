// libFuzzer target: a pipeline that checks clean is exported to GitLab CI and to GitHub Actions, and each
// file is read back with yaml-cpp. Nothing the pipeline names may add or change a key: the top-level keys
// (GitLab) and the jobs (GitHub) are exactly the stages chain exported, each matrix lists the plan's
// instances, and each script line is the one chain meant; no GitHub `run:` holds an expression.
#include "grammar/parser.hpp"
#include "interpreter/checker.hpp"
#include "interpreter/export.hpp"
#include "interpreter/plan.hpp"
#include "stdlib/builtin.hpp"
#include "stdlib/value.hpp"

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace {

const std::string pipeline_file = "ci/fuzz.chain";

[[noreturn]] void injected(const std::string& what, const std::string& yaml) {
    std::fprintf(stderr, "chain export wrote a file that does not read back as meant: %s\n%s\n", what.c_str(), yaml.c_str());
    std::abort();
}

/// What each exported stage must run: its instances (a matrix when more than one) and its script line.
struct Expected {
    std::vector<std::string> instances;
    std::string script;
};

std::vector<std::string> strings(const YAML::Node& sequence) {
    std::vector<std::string> out;
    for (const YAML::Node& item : sequence) {
        out.push_back(item.as<std::string>());
    }
    return out;
}

void check_gitlab(const std::string& yaml, const std::map<std::string, Expected>& stages) {
    YAML::Node doc = YAML::Load(yaml);
    std::set<std::string> keys;
    for (const auto& entry : doc) {
        keys.insert(entry.first.as<std::string>());
    }
    std::set<std::string> expected_keys{"stages", "variables"};
    for (const auto& [name, stage] : stages) {
        expected_keys.insert(name);
    }
    if (keys != expected_keys) {
        injected("the top-level keys are not the jobs chain made", yaml);
    }
    for (const auto& [name, stage] : stages) {
        YAML::Node job = doc[name];
        if (job["trigger"]) {
            continue;
        }
        if (strings(job["script"]) != std::vector<std::string>{stage.script}) {
            injected("the script of job " + name + " changed", yaml);
        }
        std::vector<std::string> escaped; // GitLab reads $$ in a variable's value as $
        for (const std::string& instance : stage.instances) {
            std::string value;
            for (char c : instance) {
                value += c == '$' ? std::string("$$") : std::string(1, c);
            }
            escaped.push_back(value);
        }
        if (stage.instances.size() > 1 && strings(job["parallel"]["matrix"][0]["CHAIN_INSTANCE"]) != escaped) {
            injected("the matrix of job " + name + " changed", yaml);
        }
    }
}

/// What GitHub makes of a value where it evaluates `${{ ... }}`: chain writes a literal `${{` as
/// `${{ '$' }}{{`, and no other expression may be there.
std::string github_value(const std::string& text, const std::string& yaml) {
    const std::string dollar = "${{ '$' }}";
    std::string out;
    for (std::size_t at = 0; at < text.size();) {
        if (text.compare(at, dollar.size(), dollar) == 0) {
            out += '$';
            at += dollar.size();
        } else if (text.compare(at, 3, "${{") == 0) {
            injected("an expression in a value: " + text, yaml);
        } else {
            out += text[at++];
        }
    }
    return out;
}

void check_github(const std::string& yaml, const std::map<std::string, Expected>& stages, const std::string& name) {
    YAML::Node doc = YAML::Load(yaml);
    for (const auto& entry : doc) {
        std::string key = entry.first.as<std::string>();
        if (key != "name" && key != "on" && key != "env" && key != "jobs") {
            injected("a top-level key " + key, yaml);
        }
    }
    if (doc["name"].as<std::string>() != name) {
        injected("the workflow's name changed", yaml);
    }
    std::set<std::string> jobs;
    for (const auto& entry : doc["jobs"]) {
        jobs.insert(entry.first.as<std::string>());
    }
    std::set<std::string> expected_jobs;
    for (const auto& [stage_name, stage] : stages) {
        expected_jobs.insert(stage_name);
    }
    if (jobs != expected_jobs) {
        injected("the jobs are not the ones chain made", yaml);
    }
    for (const auto& [stage_name, stage] : stages) {
        YAML::Node job = doc["jobs"][stage_name];
        bool trigger = false;
        for (const YAML::Node& step : job["steps"]) {
            if (!step["run"]) {
                continue;
            }
            std::string run = step["run"].as<std::string>();
            if (run.find("${{") != std::string::npos) {
                injected("an expression in the script of job " + stage_name, yaml);
            }
            trigger = trigger || run.starts_with("gh workflow run ");
            if (!trigger && run != stage.script) {
                injected("the script of job " + stage_name + " changed", yaml);
            }
        }
        if (!trigger && stage.instances.size() > 1) {
            std::vector<std::string> matrix;
            for (const std::string& value : strings(job["strategy"]["matrix"]["instance"])) {
                matrix.push_back(github_value(value, yaml));
            }
            if (matrix != stage.instances) {
                injected("the matrix of job " + stage_name + " changed", yaml);
            }
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto source = std::make_shared<chain::SourceFile>(pipeline_file, std::string(reinterpret_cast<const char*>(data), size));
    chain::ParseResult parsed = chain::parse(source);
    if (!parsed.diagnostics.empty()) {
        return 0;
    }
    chain::LoadedProgram program;
    program.files.push_back(std::make_unique<chain::ProgramFile>(chain::ProgramFile{source, std::move(parsed.file), pipeline_file}));
    chain::CheckResult checked = chain::check(std::move(program), chain::stdlib::standard_library(), {});
    if (chain::has_errors(checked.diagnostics)) {
        return 0;
    }
    for (const chain::GlobalValue& value : checked.program.values) {
        if (value.kind == chain::ValueKind::param && !value.value) {
            return 0; // chain export asks for a value first
        }
    }
    chain::PlanOptions options;
    options.ref = chain::refs::Ref{false, "develop"};
    chain::Plan plan = chain::make_plan(checked.program, options);

    std::map<std::string, Expected> stages;
    for (const chain::StageInfo& stage : checked.program.stages) {
        Expected& expected = stages[stage.name];
        for (const chain::StageInstance& instance : plan.stages) {
            if (instance.stage == stage.name) {
                expected.instances.push_back(instance.name);
            }
        }
        expected.script = chain::export_command(pipeline_file, {},
                                                expected.instances.size() > 1 ? "\"$CHAIN_INSTANCE\""
                                                                              : chain::stdlib::shell_quote(stage.name),
                                                stage.manual ? stage.name : "");
    }
    std::string name = checked.program.pipeline_name.empty() ? "pipeline" : checked.program.pipeline_name;
    for (chain::CiEngine engine : {chain::CiEngine::gitlab, chain::CiEngine::github}) {
        chain::ExportResult exported = chain::export_pipeline(checked.program, plan, engine, pipeline_file, {});
        if (!exported.diagnostics.empty()) {
            continue; // a condition or a trigger the engine cannot express: refused, nothing written
        }
        try {
            if (engine == chain::CiEngine::gitlab) {
                check_gitlab(exported.text, stages);
            } else {
                check_github(exported.text, stages, name);
            }
        } catch (const YAML::Exception& error) {
            injected(std::string("yaml-cpp cannot read it back: ") + error.what(), exported.text);
        }
    }
    return 0;
}
