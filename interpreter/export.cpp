#include "export.hpp"

#include "conditions_export.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <stdexcept>

namespace chain {

namespace {

// ---- YAML --------------------------------------------------------------------------------------------------
// Every value that comes from the pipeline, the command line or a name reaches the file through yaml-cpp's
// emitter, never by concatenation: whatever its characters, it reads back as the same string and adds no
// key. Non-ASCII characters are escaped, so that no parser can take one for a line break.

/// A value: always double-quoted, as a list of values reads best when its items look alike.
struct Quoted {
    std::string text;
};

/// A name, a path or a command line: plain when every YAML parser reads it back as this same string.
struct Word {
    std::string text;
};

bool plain_is_text(std::string_view text) {
    if (text.empty()) {
        return false;
    }
    for (char c : text) {
        if (c < 0x20 || c > 0x7e) {
            return false;
        }
    }
    char first = text.front();
    bool letter = (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z');
    bool dot = first == '.' && !(text.size() > 1 && text[1] >= '0' && text[1] <= '9'); // .5 is a number
    if (!letter && !dot && std::string_view("_$/").find(first) == std::string_view::npos) {
        return false; // numbers, and YAML's indicators (- ? : , [ ] { } # & * ! | > ' " % @ `)
    }
    std::string lower;
    for (char c : text) {
        lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    // What YAML 1.1 reads as a boolean, a null or a float.
    static const std::set<std::string, std::less<>> other{"y", "n", "yes", "no", "on", "off", "true", "false", "null", ".inf", ".nan"};
    return !other.contains(lower);
}

YAML::Emitter& operator<<(YAML::Emitter& out, const Quoted& value) { return out << YAML::DoubleQuoted << value.text; }

YAML::Emitter& operator<<(YAML::Emitter& out, const Word& word) {
    // Auto still quotes what plain YAML cannot hold (": ", " #", a trailing space).
    return out << (plain_is_text(word.text) ? YAML::Auto : YAML::DoubleQuoted) << word.text;
}

/// One top-level mapping of the file, emitted on its own so that blank lines can separate the blocks,
/// each line indented by `indent` spaces (no scalar the emitter writes spans lines but a literal block,
/// whose lines all move alike).
template <typename Fill> std::string yaml_block(Fill fill, std::size_t indent = 0) {
    YAML::Emitter out;
    out.SetOutputCharset(YAML::EscapeNonAscii);
    out << YAML::BeginMap;
    fill(out);
    out << YAML::EndMap;
    if (!out.good()) {
        throw std::logic_error("chain export emitted invalid YAML: " + out.GetLastError());
    }
    std::string text;
    std::string_view emitted = out.c_str();
    while (!emitted.empty()) {
        std::size_t end = emitted.find('\n');
        std::string_view line = emitted.substr(0, end);
        text += (line.empty() ? "" : std::string(indent, ' ')) + std::string(line) + "\n";
        emitted = end == std::string_view::npos ? std::string_view() : emitted.substr(end + 1);
    }
    return text;
}

/// A name or path in a comment, which ends at a line break: only printable ASCII is kept.
std::string comment_text(std::string_view text) {
    std::string out;
    for (char c : text) {
        out += c >= 0x20 && c <= 0x7e ? c : '?';
    }
    return out;
}

/// Text GitHub reads literally where it evaluates `${{ ... }}` (env:, with:, a matrix, a step's name):
/// each `${{` is written as an expression that gives `$`, then `{{`; GitHub evaluates once.
std::string github_literal(const std::string& text) {
    std::string out;
    for (std::size_t at = 0; at < text.size(); ++at) {
        out += text.compare(at, 3, "${{") == 0 ? "${{ '$' }}" : std::string(1, text[at]);
    }
    return out;
}

// ---- GitLab ------------------------------------------------------------------------------------------------

/// The names GitLab reads as keywords of the whole file, or as a job it treats specially (pages).
const std::set<std::string, std::less<>> gitlab_keywords{"after_script", "before_script", "cache",    "default",
                                                         "image",        "include",       "pages",    "services",
                                                         "stages",       "types",         "variables", "workflow"};

/// A value of a variable the file defines: GitLab expands `$NAME` in it and reads `$$` as one `$`.
std::string gitlab_variable_value(const std::string& text) {
    std::string out;
    for (char c : text) {
        out += c == '$' ? std::string("$$") : std::string(1, c);
    }
    return out;
}

// ---- the jobs ----------------------------------------------------------------------------------------------

/// A stage as a job: its instances, what it needs, its condition, and how long it may take.
struct Job {
    const StageInfo* stage = nullptr;
    std::vector<std::string> instances; // more than one: the engine's matrix
    std::vector<std::string> needs;     // stage names
    conditions::EngineRule::Kind when = conditions::EngineRule::Kind::always;
    std::string engine_condition;       // the condition in the engine's expressions; empty: always
    std::optional<std::int64_t> budget_minutes;
    std::vector<std::string> triggered; // repositories of trigger(), for a stage of only triggers
};

/// The .chain folder beside the pipeline file, where a stage's artifacts and the content store are.
std::string chain_folder(const std::string& file) {
    std::filesystem::path folder = std::filesystem::path(file).parent_path();
    return folder.empty() ? ".chain" : (folder / ".chain").string();
}

std::int64_t minutes_up(std::int64_t milliseconds) { return (milliseconds + 59'999) / 60'000; }

std::string trigger_project(const std::string& repository) {
    return std::filesystem::path(repository).lexically_normal().filename().string();
}

/// The environment variable that carries a matrix job's instance into its script: the engine puts the
/// value there, the shell reads it as one word, so no value is ever part of the script's text.
constexpr const char* instance_variable = "CHAIN_INSTANCE";

std::string stage_word(const Job& job) {
    return job.instances.size() > 1 ? fmt::format("\"${}\"", instance_variable) : stdlib::shell_quote(job.stage->name);
}

std::string job_command(const std::string& file, const std::vector<std::string>& param_words, const Job& job) {
    return export_command(file, param_words, stage_word(job), job.stage->manual ? job.stage->name : "");
}

// ---- the cache between pipelines ----------------------------------------------------------------------------
// A stage with `inputs` keeps its cache record (.chain/cache/stages) and the content store its artifacts are
// in within the engine's cache, so that a later pipeline finds it `up to date` as a rerun on one machine
// would. The record alone decides: it holds the hash of the stage's input files, steps and upstream
// artifacts, so a cache the engine restores for another state of the project is a miss, never a stale
// result. A stage without `inputs` keeps no record (it always runs) and gets no cache.

bool cached(const Job& job) { return !job.stage->inputs.empty(); }

/// What the engine keeps: the records and the objects they name (the file stamps of .chain/cache/files
/// are of no use in another checkout).
std::vector<std::string> cache_paths(const std::string& file) {
    std::string store = chain_folder(file);
    return {store + "/cache/stages", store + "/artifacts/"};
}

/// GitLab's key: one cache per stage, and per instance of a matrix stage (by its index: the instance's
/// name has characters a key may not hold, such as '/' in a value).
std::string gitlab_cache_key(const Job& job) {
    return "chain-" + job.stage->name + (job.instances.size() > 1 ? "-$CI_NODE_INDEX" : "");
}

/// The stage's `inputs` as hashFiles() patterns, relative to the repository's root. A pattern GitHub's
/// glob would read as something else (a negation, a brace, a quote) or that leaves the repository is left
/// out: the hash only narrows which cache is restored, the record still decides.
std::vector<std::string> github_input_patterns(const Job& job, const std::string& file) {
    std::filesystem::path folder = std::filesystem::path(file).parent_path();
    std::vector<std::string> patterns;
    for (const std::string& input : job.stage->inputs) {
        std::string pattern = (folder / input).lexically_normal().generic_string();
        bool plain = std::all_of(pattern.begin(), pattern.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   std::string_view("._-/*?+@=~ ").find(c) != std::string_view::npos;
        });
        if (plain && !pattern.empty() && !pattern.starts_with("../") && pattern != ".." &&
            std::find(patterns.begin(), patterns.end(), pattern) == patterns.end()) {
            patterns.push_back(pattern);
        }
    }
    return patterns;
}

/// GitHub's keys, each as the text of a `key:` and as an expression: the stage (and matrix index), the
/// hash of its input files, and for the cache saved after the run the hash of the record it holds. GitHub
/// never replaces a saved cache, so a changed record is saved under a key of its own.
struct GithubCacheKeys {
    std::string restore;       // chain-STAGE[-INDEX][-INPUTS]
    std::string saved;         // restore-RECORD
    std::string saved_formula; // the same as an expression, to tell whether it is the one restored
};

GithubCacheKeys github_cache_keys(const Job& job, const std::string& file) {
    std::vector<std::string> parts{"chain-" + job.stage->name};
    std::vector<std::string> values;
    if (job.instances.size() > 1) {
        values.push_back("strategy.job-index");
    }
    std::vector<std::string> patterns = github_input_patterns(job, file);
    if (!patterns.empty()) {
        std::string listed;
        for (const std::string& pattern : patterns) {
            listed += (listed.empty() ? "" : ", ") + conditions::github_string(pattern);
        }
        values.push_back("hashFiles(" + listed + ")");
    }
    values.push_back("hashFiles(" + conditions::github_string(cache_paths(file).front()) + ")");
    GithubCacheKeys keys;
    std::string format = "chain-" + job.stage->name;
    for (std::size_t index = 0; index < values.size(); ++index) {
        std::string text = "-${{ " + values[index] + " }}";
        (index + 1 < values.size() ? keys.restore : keys.saved) += text;
        format += fmt::format("-{{{}}}", index);
    }
    keys.restore = "chain-" + job.stage->name + keys.restore;
    keys.saved = keys.restore + keys.saved;
    std::string arguments;
    for (const std::string& value : values) {
        arguments += ", " + value;
    }
    keys.saved_formula = "format(" + conditions::github_string(format) + arguments + ")";
    return keys;
}

void gitlab_job(YAML::Emitter& out, const Job& job, const std::string& file, const std::vector<std::string>& params) {
    out << YAML::Key << Word{job.stage->name} << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "stage" << YAML::Value << "chain";
    bool always = job.when == conditions::EngineRule::Kind::always;
    bool never = job.when == conditions::EngineRule::Kind::never;
    if (!always || job.stage->manual) {
        out << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
        if (!always && !never) {
            out << YAML::Key << "if" << YAML::Value << YAML::SingleQuoted << job.engine_condition;
        }
        out << YAML::Key << "when" << YAML::Value << (never ? "never" : job.stage->manual ? "manual" : "on_success");
        out << YAML::EndMap << YAML::EndSeq;
    }
    out << YAML::Key << "needs" << YAML::Value;
    if (job.needs.empty()) {
        out << YAML::Flow;
    }
    out << YAML::BeginSeq;
    for (const std::string& need : job.needs) {
        out << Word{need};
    }
    out << YAML::EndSeq;
    if (!job.triggered.empty()) {
        // The downstream project's own pipeline, on the same ref; its result is this job's.
        out << YAML::Key << "trigger" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "project" << YAML::Value << Word{"$CI_PROJECT_NAMESPACE/" + trigger_project(job.triggered.front())};
        out << YAML::Key << "branch" << YAML::Value << "$CI_COMMIT_REF_NAME";
        out << YAML::Key << "strategy" << YAML::Value << "depend" << YAML::EndMap << YAML::EndMap;
        return;
    }
    if (job.instances.size() > 1) {
        out << YAML::Key << "parallel" << YAML::Value << YAML::BeginMap << YAML::Key << "matrix" << YAML::Value;
        out << YAML::BeginSeq << YAML::BeginMap << YAML::Key << instance_variable << YAML::Value << YAML::BeginSeq;
        for (const std::string& instance : job.instances) {
            out << Quoted{gitlab_variable_value(instance)};
        }
        out << YAML::EndSeq << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
    }
    std::vector<std::string> param_words;
    for (const std::string& param : params) {
        param_words.push_back(stdlib::shell_quote(param));
    }
    out << YAML::Key << "script" << YAML::Value << YAML::BeginSeq
        << Word{job_command(file, param_words, job)} << YAML::EndSeq;
    if (cached(job)) {
        out << YAML::Key << "cache" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "key" << YAML::Value << Word{gitlab_cache_key(job)};
        out << YAML::Key << "paths" << YAML::Value << YAML::BeginSeq;
        for (const std::string& path : cache_paths(file)) {
            out << Word{path};
        }
        out << YAML::EndSeq << YAML::EndMap;
    }
    std::string store = chain_folder(file);
    out << YAML::Key << "artifacts" << YAML::Value << YAML::BeginMap << YAML::Key << "paths" << YAML::Value
        << YAML::BeginSeq << Word{store + "/out/"} << Word{store + "/artifacts/"} << YAML::EndSeq << YAML::EndMap;
    if (job.budget_minutes) {
        out << YAML::Key << "timeout" << YAML::Value << fmt::format("{}m", *job.budget_minutes);
    }
    if (job.stage->allow_failure) {
        // chain itself ends an allowed failure with success; this keeps the pipeline going also when the
        // job fails around chain (a runner lost, chain missing).
        out << YAML::Key << "allow_failure" << YAML::Value << true;
    }
    out << YAML::EndMap;
}

void github_job(YAML::Emitter& out, const Job& job, const std::string& file, const std::vector<std::string>& params) {
    out << YAML::Key << Word{job.stage->name} << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "runs-on" << YAML::Value << "ubuntu-latest";
    if (!job.engine_condition.empty()) {
        out << YAML::Key << "if" << YAML::Value << YAML::SingleQuoted << job.engine_condition;
    }
    if (!job.needs.empty()) {
        out << YAML::Key << "needs" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const std::string& need : job.needs) {
            out << Word{need};
        }
        out << YAML::EndSeq;
    }
    if (job.stage->manual) {
        // A job waits for a person when its environment has required reviewers.
        out << YAML::Key << "environment" << YAML::Value << Word{job.stage->name};
    }
    if (job.budget_minutes) {
        out << YAML::Key << "timeout-minutes" << YAML::Value << *job.budget_minutes;
    }
    if (job.stage->allow_failure) {
        out << YAML::Key << "continue-on-error" << YAML::Value << true;
    }
    if (job.instances.size() > 1) {
        out << YAML::Key << "strategy" << YAML::Value << YAML::BeginMap << YAML::Key << "matrix" << YAML::Value
            << YAML::BeginMap << YAML::Key << "instance" << YAML::Value << YAML::BeginSeq;
        for (const std::string& instance : job.instances) {
            out << Quoted{github_literal(instance)};
        }
        out << YAML::EndSeq << YAML::EndMap << YAML::EndMap;
    }
    out << YAML::Key << "steps" << YAML::Value << YAML::BeginSeq;
    if (!job.triggered.empty()) {
        // Expressions reach the script through env: only (GitHub's advice against script injection): a
        // branch name is anyone's text.
        for (const std::string& repository : job.triggered) {
            std::string project = trigger_project(repository);
            out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << Word{github_literal("trigger " + project)};
            out << YAML::Key << "env" << YAML::Value << YAML::BeginMap;
            out << YAML::Key << "GH_TOKEN" << YAML::Value << "${{ secrets.CHAIN_TRIGGER_TOKEN }}";
            out << YAML::Key << "CHAIN_OWNER" << YAML::Value << "${{ github.repository_owner }}";
            out << YAML::Key << "CHAIN_REF" << YAML::Value << "${{ github.ref_name }}";
            out << YAML::Key << "CHAIN_PROJECT" << YAML::Value << Quoted{github_literal(project)} << YAML::EndMap;
            out << YAML::Key << "run" << YAML::Value
                << "gh workflow run chain.yml --repo \"$CHAIN_OWNER/$CHAIN_PROJECT\" --ref \"$CHAIN_REF\"";
            out << YAML::EndMap;
        }
        out << YAML::EndSeq << YAML::EndMap;
        return;
    }
    out << YAML::BeginMap << YAML::Key << "uses" << YAML::Value << "actions/checkout@v4";
    out << YAML::Key << "with" << YAML::Value << YAML::BeginMap << YAML::Key << "fetch-depth" << YAML::Value << 0
        << YAML::EndMap << YAML::EndMap;
    std::string store = chain_folder(file);
    if (!job.needs.empty()) {
        out << YAML::BeginMap << YAML::Key << "uses" << YAML::Value << "actions/download-artifact@v4";
        out << YAML::Key << "with" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "pattern" << YAML::Value << "chain-*";
        out << YAML::Key << "merge-multiple" << YAML::Value << true;
        out << YAML::Key << "path" << YAML::Value << Word{store} << YAML::EndMap << YAML::EndMap;
    }
    std::string paths;
    for (const std::string& path : cache_paths(file)) {
        paths += (paths.empty() ? "" : "\n") + path;
    }
    GithubCacheKeys keys = github_cache_keys(job, file);
    if (cached(job)) {
        // After the upstream artifacts: the store's objects come back read-only, and an object in both
        // would not be written over.
        out << YAML::BeginMap << YAML::Key << "uses" << YAML::Value << "actions/cache/restore@v4";
        out << YAML::Key << "id" << YAML::Value << "chain-cache";
        out << YAML::Key << "with" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "path" << YAML::Value << YAML::Literal << paths;
        out << YAML::Key << "key" << YAML::Value << Word{keys.restore};
        out << YAML::Key << "restore-keys" << YAML::Value << Word{keys.restore + "-"};
        out << YAML::EndMap << YAML::EndMap;
    }
    // Each -p value and the matrix instance reach the script through env: (GitHub evaluates `${{` in a
    // run: line before the shell sees it, even between quotes).
    out << YAML::BeginMap;
    std::vector<std::string> param_words;
    if (!params.empty() || job.instances.size() > 1) {
        out << YAML::Key << "env" << YAML::Value << YAML::BeginMap;
        for (std::size_t index = 0; index < params.size(); ++index) {
            std::string variable = fmt::format("CHAIN_PARAM_{}", index + 1);
            out << YAML::Key << variable << YAML::Value << Quoted{github_literal(params[index])};
            param_words.push_back("\"$" + variable + "\"");
        }
        if (job.instances.size() > 1) {
            out << YAML::Key << instance_variable << YAML::Value << "${{ matrix.instance }}";
        }
        out << YAML::EndMap;
    }
    out << YAML::Key << "run" << YAML::Value << Word{job_command(file, param_words, job)} << YAML::EndMap;
    if (cached(job)) {
        out << YAML::BeginMap << YAML::Key << "uses" << YAML::Value << "actions/cache/save@v4";
        out << YAML::Key << "if" << YAML::Value
            << "steps.chain-cache.outputs.cache-matched-key != " + keys.saved_formula;
        out << YAML::Key << "with" << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "path" << YAML::Value << YAML::Literal << paths;
        out << YAML::Key << "key" << YAML::Value << Word{keys.saved};
        out << YAML::EndMap << YAML::EndMap;
    }
    out << YAML::BeginMap << YAML::Key << "uses" << YAML::Value << "actions/upload-artifact@v4";
    out << YAML::Key << "with" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value
        << Word{"chain-" + job.stage->name + (job.instances.size() > 1 ? "-${{ strategy.job-index }}" : "")};
    out << YAML::Key << "path" << YAML::Value << YAML::Literal << store + "/out/\n" + store + "/artifacts/";
    out << YAML::EndMap << YAML::EndMap;
    out << YAML::EndSeq << YAML::EndMap;
}

} // namespace

std::string export_command(const std::string& file, const std::vector<std::string>& param_words,
                           const std::string& stage_word, const std::string& approved_stage) {
    std::string command = "chain run " + stdlib::shell_quote(file);
    for (const std::string& word : param_words) {
        command += " -p " + word;
    }
    command += " --stage " + stage_word;
    if (!approved_stage.empty()) {
        command += " --approve " + stdlib::shell_quote(approved_stage);
    }
    return command + " --no-deps";
}

ExportResult export_pipeline(const CheckedProgram& program, const Plan& plan, CiEngine engine, const std::string& file,
                             const std::vector<std::string>& params) {
    ExportResult result;
    PlanOptions options;
    options.ref = plan.ref;
    // Bool params and lets are taken at their exported values; a let bound to a cond is followed to its
    // ref patterns.
    auto exported_value = [&](const conditions::Formula& atom) -> std::optional<bool> {
        const GlobalValue* value = atom.value;
        bool cond_let = value && value->kind == ValueKind::let && value->value && value->type.kind == Type::cond;
        if (atom.kind != conditions::Formula::Kind::value || !value || cond_let) {
            return std::nullopt;
        }
        return evaluate_value(program, options, *value).number != 0;
    };
    conditions::Values values{exported_value, conditions::let_depth_limit};
    auto refuse = [&](const StageInfo& stage, std::string message) {
        result.diagnostics.push_back(Diagnostic{stage.file->source, stage.decl->name.range, Severity::error, "E0601",
                                                std::move(message), ""});
    };

    std::vector<Job> jobs;
    for (std::size_t index : program.stage_order) {
        const StageInfo& stage = program.stages[index];
        if (engine == CiEngine::gitlab && gitlab_keywords.contains(stage.name)) {
            refuse(stage, fmt::format("stage '{}' has a name GitLab reads as a keyword of the whole file, not as a "
                                      "job; rename the stage",
                                      stage.name));
            continue;
        }
        Job job;
        job.stage = &stage;
        for (const StageInstance& instance : plan.stages) {
            if (instance.stage == stage.name) {
                job.instances.push_back(instance.name);
            }
        }
        for (std::size_t need : stage.needs) {
            job.needs.push_back(program.stages[need].name);
        }
        if (stage.formula) {
            conditions::EngineRule rule = engine == CiEngine::gitlab ? conditions::to_gitlab_rule(*stage.formula, values)
                                                                     : conditions::to_github_if(*stage.formula, values);
            if (rule.kind == conditions::EngineRule::Kind::refused) {
                refuse(stage, fmt::format("the condition of stage '{}' cannot be exported: {}", stage.name, rule.text));
                continue;
            }
            job.when = rule.kind;
            job.engine_condition = rule.kind == conditions::EngineRule::Kind::never ? "false" : rule.text;
        }
        if (stage.timeout_ms) {
            // chain runs the stage's retries and timeouts inside the job; the engine's limit is the
            // whole budget, plus ten minutes for the checkout and chain's set-up.
            job.budget_minutes = minutes_up(*stage.timeout_ms * (stage.retries + 1)) + 10;
        }
        std::size_t steps = 0;
        for (const ast::Stmt& stmt : stage.decl->body.stmts) {
            ++steps;
            const auto* call = std::get_if<ast::CallStmt>(&stmt.node);
            const auto* callee = call ? std::get_if<ast::Call>(&call->call.node) : nullptr;
            if (callee && callee->callee.name == "trigger" && !callee->args.empty()) {
                std::optional<std::string> repository = ast::literal_text(*callee->args.front().value);
                if (!repository || repository->empty()) {
                    refuse(stage, fmt::format("stage '{}' triggers a repository named by an expression; the engine "
                                              "needs it written out",
                                              stage.name));
                    continue;
                }
                job.triggered.push_back(*repository);
            }
        }
        if (!job.triggered.empty() && job.triggered.size() != steps) {
            refuse(stage, fmt::format("stage '{}' mixes trigger() with other steps: the engine runs a downstream "
                                      "pipeline as a job of its own, so give the trigger a stage of its own",
                                      stage.name));
            continue;
        }
        if (engine == CiEngine::gitlab && job.triggered.size() > 1) {
            refuse(stage, fmt::format("stage '{}' triggers {} repositories; a GitLab trigger job starts one",
                                      stage.name, job.triggered.size()));
            continue;
        }
        jobs.push_back(std::move(job));
    }

    // Each name is an environment variable's (the checker refuses any other, E0313), so it is safe in
    // secrets.NAME.
    std::set<std::string> secrets;
    for (const GlobalValue& value : program.values) {
        if (value.kind == ValueKind::secret) {
            const auto& literal = std::get<ast::StringLit>(value.value->node);
            for (const ast::StringPart& part : literal.parts) {
                if (const auto* text = std::get_if<std::string>(&part)) {
                    secrets.insert(*text);
                }
            }
        }
    }

    std::string& out = result.text;
    std::string name = program.pipeline_name.empty() ? "pipeline" : program.pipeline_name;
    std::string comment_name = comment_text(name);
    std::string comment_file = comment_text(file);
    if (engine == CiEngine::gitlab) {
        out += fmt::format("# {} for GitLab CI, made by `chain export --to gitlab {}`: each job runs its stage with\n"
                           "# chain, which must be on the runner's PATH. Regenerate it after changing {}.\n",
                           comment_name, comment_file, comment_file);
        if (!secrets.empty()) {
            std::string listed;
            for (const std::string& secret : secrets) {
                listed += (listed.empty() ? "" : ", ") + secret;
            }
            out += "# Secrets: define each of " + comment_text(listed) + " as a masked CI/CD variable of the project.\n";
        }
        out += "\nstages:\n  - chain\n\nvariables:\n  GIT_DEPTH: \"0\" # version() counts the commits since the last tag\n";
        for (const Job& job : jobs) {
            out += "\n" + yaml_block([&](YAML::Emitter& emitter) { gitlab_job(emitter, job, file, params); });
        }
    } else {
        out += fmt::format("# {} for GitHub Actions, made by `chain export --to github {}`: each job runs its stage\n"
                           "# with chain, which must be on the runner's PATH. Regenerate it after changing {}.\n",
                           comment_name, comment_file, comment_file);
        out += yaml_block([&](YAML::Emitter& emitter) { emitter << YAML::Key << "name" << YAML::Value << Quoted{name}; });
        out += "\non:\n  push:\n    branches: [\"**\"]\n    tags: [\"**\"]\n  workflow_dispatch:\n";
        if (!secrets.empty()) {
            out += "\n" + yaml_block([&](YAML::Emitter& emitter) {
                emitter << YAML::Key << "env" << YAML::Value << YAML::BeginMap;
                for (const std::string& secret : secrets) {
                    emitter << YAML::Key << Word{secret} << YAML::Value << Word{"${{ secrets." + secret + " }}"};
                }
                emitter << YAML::EndMap;
            });
        }
        out += "\njobs:\n";
        for (std::size_t index = 0; index < jobs.size(); ++index) {
            out += (index ? "\n" : "") +
                   yaml_block([&](YAML::Emitter& emitter) { github_job(emitter, jobs[index], file, params); }, 2);
        }
    }
    if (!result.diagnostics.empty()) {
        result.text.clear();
        std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
            return a.source == b.source && a.range.begin < b.range.begin;
        });
    }
    return result;
}

} // namespace chain
