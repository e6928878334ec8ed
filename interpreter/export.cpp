#include "export.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>

namespace chain {

namespace {

/// A stage's condition as a formula over what the engines can test of a ref.
struct Formula {
    enum Kind { constant, atom, all, any, negation } kind = constant;
    bool value = true; // constant
    // atom: the ref is a branch (or tag) whose name matches `glob`; or, for `ref() == "x"`, is named x.
    enum Subject { branch, tag, ref_name } subject = branch;
    std::string glob;
    bool negated = false;
    std::vector<Formula> parts;

    static Formula of(bool value) { return Formula{constant, value, branch, "", false, {}}; }
    static Formula match(Subject subject, std::string glob) { return Formula{atom, true, subject, std::move(glob), false, {}}; }
};

/// Pushes negations down to the atoms (De Morgan) and folds constants.
Formula normalized(const Formula& formula, bool negate = false) {
    switch (formula.kind) {
    case Formula::constant: return Formula::of(formula.value != negate);
    case Formula::atom: {
        Formula copy = formula;
        copy.negated = formula.negated != negate;
        return copy;
    }
    case Formula::negation: return normalized(formula.parts.front(), !negate);
    case Formula::all:
    case Formula::any: {
        bool conjunction = (formula.kind == Formula::all) != negate;
        Formula result{conjunction ? Formula::all : Formula::any, true, Formula::branch, "", false, {}};
        for (const Formula& part : formula.parts) {
            Formula inner = normalized(part, negate);
            if (inner.kind == Formula::constant) {
                if (inner.value != conjunction) {
                    return Formula::of(!conjunction); // false in an all, true in an any decides it
                }
                continue;
            }
            if (inner.kind == result.kind) { // a | (b | c) is a | b | c
                result.parts.insert(result.parts.end(), inner.parts.begin(), inner.parts.end());
            } else {
                result.parts.push_back(std::move(inner));
            }
        }
        if (result.parts.empty()) {
            return Formula::of(conjunction);
        }
        return result.parts.size() == 1 ? result.parts.front() : result;
    }
    }
    return formula;
}

/// The text of a string literal written out, without interpolation; nothing for any other expression.
std::optional<std::string> literal_text(const ast::Expr& expr) {
    const auto* literal = std::get_if<ast::StringLit>(&expr.node);
    if (!literal || literal->parts.size() > 1) {
        return std::nullopt;
    }
    if (literal->parts.empty()) {
        return std::string();
    }
    const auto* text = std::get_if<std::string>(&literal->parts.front());
    return text ? std::optional(*text) : std::nullopt;
}

class ConditionReader {
  public:
    ConditionReader(const CheckedProgram& program, const PlanOptions& options) : program_(program), options_(options) {}

    /// The formula of a condition, or why it has none.
    std::optional<Formula> read(const ast::Expr& expr, std::string& why, int depth = 0) {
        if (depth > 64) {
            why = "its lets nest too deep";
            return std::nullopt;
        }
        if (const auto* pattern = std::get_if<ast::RefPattern>(&expr.node)) {
            return pattern_formula(*pattern);
        }
        if (const auto* literal = std::get_if<ast::BoolLit>(&expr.node)) {
            return Formula::of(literal->value);
        }
        if (const auto* name = std::get_if<ast::Name>(&expr.node)) {
            const GlobalValue* value = program_.find_value(name->ident.name);
            if (!value) {
                why = "'" + name->ident.name + "' is not a top-level value";
                return std::nullopt;
            }
            if (value->kind == ValueKind::let && value->value && value->type.kind == Type::cond) {
                return read(*value->value, why, depth + 1);
            }
            // A bool param or let is known when the pipeline is exported: its default or -p value.
            stdlib::Value known = evaluate_value(program_, options_, *value);
            return Formula::of(known.number != 0);
        }
        if (const auto* negation = std::get_if<ast::Not>(&expr.node)) {
            auto inner = read(*negation->operand, why, depth + 1);
            return inner ? std::optional(Formula{Formula::negation, true, Formula::branch, "", false, {*inner}}) : std::nullopt;
        }
        if (const auto* infix = std::get_if<ast::Infix>(&expr.node)) {
            ast::BinaryOp op = infix->ops.front();
            if (op == ast::BinaryOp::equal || op == ast::BinaryOp::not_equal) {
                auto name = ref_comparison(infix->operands[0], infix->operands[1]);
                if (!name) {
                    why = "only ref() == \"NAME\" can be compared in a condition an engine tests";
                    return std::nullopt;
                }
                Formula formula = Formula::match(Formula::ref_name, *name);
                formula.negated = op == ast::BinaryOp::not_equal;
                return formula;
            }
            Formula formula{op == ast::BinaryOp::and_ ? Formula::all : Formula::any, true, Formula::branch, "", false, {}};
            for (const ast::Expr& operand : infix->operands) {
                auto read_operand = read(operand, why, depth + 1);
                if (!read_operand) {
                    return std::nullopt;
                }
                formula.parts.push_back(std::move(*read_operand));
            }
            return formula;
        }
        why = "it is not made of ref patterns, bool values, and, or and not";
        return std::nullopt;
    }

  private:
    static Formula pattern_formula(const ast::RefPattern& pattern) {
        switch (pattern.kind) {
        case ast::RefKind::develop: return Formula::match(Formula::branch, "develop");
        case ast::RefKind::main: return Formula::match(Formula::branch, "main");
        case ast::RefKind::master:
            return Formula{Formula::any, true, Formula::branch, "", false,
                           {Formula::match(Formula::branch, "master"), Formula::match(Formula::branch, "main")}};
        case ast::RefKind::feature: return Formula::match(Formula::branch, "feature/" + pattern.glob);
        case ast::RefKind::release: return Formula::match(Formula::branch, "release/" + pattern.glob);
        case ast::RefKind::hotfix: return Formula::match(Formula::branch, "hotfix/" + pattern.glob);
        case ast::RefKind::support: return Formula::match(Formula::branch, "support/" + pattern.glob);
        case ast::RefKind::branch: return Formula::match(Formula::branch, pattern.glob);
        case ast::RefKind::tag: return Formula::match(Formula::tag, pattern.glob);
        }
        return Formula::of(false);
    }

    static bool is_ref_call(const ast::Expr& expr) {
        const auto* call = std::get_if<ast::Call>(&expr.node);
        return call && call->callee.name == "ref" && call->args.empty();
    }

    static std::optional<std::string> ref_comparison(const ast::Expr& lhs, const ast::Expr& rhs) {
        if (is_ref_call(lhs)) {
            return literal_text(rhs);
        }
        return is_ref_call(rhs) ? literal_text(lhs) : std::nullopt;
    }

    const CheckedProgram& program_;
    const PlanOptions& options_;
};

std::string yaml_string(const std::string& text) { return nlohmann::json(text).dump(); } // JSON strings are YAML

std::string single_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        out += c == '\'' ? std::string("''") : std::string(1, c);
    }
    return out + "'";
}

bool has_wildcard(const std::string& glob) { return glob.find_first_of("*?") != std::string::npos; }

// ---- GitLab ------------------------------------------------------------------------------------------------

std::string gitlab_regex(const std::string& glob) {
    std::string out = "/^";
    for (char c : glob) {
        if (c == '*') {
            out += ".*";
        } else if (c == '?') {
            out += ".";
        } else if (std::string_view("\\.+()[]{}^$|/").find(c) != std::string_view::npos) {
            out += std::string("\\") + c;
        } else {
            out += c;
        }
    }
    return out + "$/";
}

std::string gitlab_if(const Formula& formula) {
    switch (formula.kind) {
    case Formula::atom: {
        std::string variable = formula.subject == Formula::branch ? "$CI_COMMIT_BRANCH"
                               : formula.subject == Formula::tag  ? "$CI_COMMIT_TAG"
                                                                  : "$CI_COMMIT_REF_NAME";
        if (formula.subject != Formula::ref_name && has_wildcard(formula.glob)) {
            return fmt::format("{} {} {}", variable, formula.negated ? "!~" : "=~", gitlab_regex(formula.glob));
        }
        return fmt::format("{} {} {}", variable, formula.negated ? "!=" : "==", yaml_string(formula.glob));
    }
    case Formula::all:
    case Formula::any: {
        std::string out;
        for (const Formula& part : formula.parts) {
            std::string text = gitlab_if(part);
            if (part.kind == Formula::all || part.kind == Formula::any) {
                text = "(" + text + ")";
            }
            out += (out.empty() ? "" : formula.kind == Formula::all ? " && " : " || ") + text;
        }
        return out;
    }
    default: return "";
    }
}

// ---- GitHub ------------------------------------------------------------------------------------------------

std::optional<std::string> github_if(const Formula& formula, std::string& why) {
    switch (formula.kind) {
    case Formula::atom: {
        if (formula.subject == Formula::ref_name) {
            return fmt::format("github.ref_name {} {}", formula.negated ? "!=" : "==", single_quoted(formula.glob));
        }
        std::string prefix = formula.subject == Formula::branch ? "refs/heads/" : "refs/tags/";
        std::size_t wildcard = formula.glob.find_first_of("*?");
        std::string test;
        if (wildcard == std::string::npos) {
            test = fmt::format("github.ref == {}", single_quoted(prefix + formula.glob));
        } else if (wildcard == formula.glob.size() - 1 && formula.glob.back() == '*') {
            test = fmt::format("startsWith(github.ref, {})", single_quoted(prefix + formula.glob.substr(0, wildcard)));
        } else {
            why = fmt::format("GitHub's expressions match a ref only exactly or by its beginning, not by the "
                              "pattern '{}'",
                              formula.glob);
            return std::nullopt;
        }
        return formula.negated ? "!" + test : test;
    }
    case Formula::all:
    case Formula::any: {
        std::string out;
        for (const Formula& part : formula.parts) {
            auto text = github_if(part, why);
            if (!text) {
                return std::nullopt;
            }
            if (part.kind == Formula::all || part.kind == Formula::any) {
                *text = "(" + *text + ")";
            }
            out += (out.empty() ? "" : formula.kind == Formula::all ? " && " : " || ") + *text;
        }
        return out;
    }
    default: return std::string();
    }
}

// ---- the jobs ----------------------------------------------------------------------------------------------

/// A stage as a job: its instances, what it needs, its condition, and how long it may take.
struct Job {
    const StageInfo* stage = nullptr;
    std::vector<std::string> instances; // more than one: the engine's matrix
    std::vector<std::string> needs;     // stage names
    Formula condition = Formula::of(true);
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

/// `chain run FILE -p ... --stage STAGE --no-deps` as one YAML scalar, quoted only when YAML needs it.
std::string run_command(const std::string& file, const std::vector<std::string>& params, const std::string& stage) {
    std::string command = "chain run " + yaml_string(file);
    for (const std::string& param : params) {
        command += " -p " + stdlib::shell_quote(param);
    }
    command += " --stage " + stage + " --no-deps";
    bool plain = command.find(": ") == std::string::npos && command.find(" #") == std::string::npos;
    return plain ? command : single_quoted(command);
}

void gitlab_job(std::string& out, const Job& job, const std::string& file, const std::vector<std::string>& params) {
    out += "\n" + job.stage->name + ":\n  stage: chain\n";
    bool always = job.condition.kind == Formula::constant && job.condition.value;
    bool never = job.condition.kind == Formula::constant && !job.condition.value;
    if (!always || job.stage->manual) {
        out += "  rules:\n";
        if (never) {
            out += "    - when: never\n";
        } else {
            out += always ? "    - when: " : "    - if: " + single_quoted(gitlab_if(job.condition)) + "\n      when: ";
            out += job.stage->manual ? "manual\n" : "on_success\n";
        }
    }
    if (!job.needs.empty()) {
        out += "  needs:\n";
        for (const std::string& need : job.needs) {
            out += "    - " + need + "\n";
        }
    } else {
        out += "  needs: []\n";
    }
    if (!job.triggered.empty()) {
        // The downstream project's own pipeline, on the same ref; its result is this job's.
        out += fmt::format("  trigger:\n    project: $CI_PROJECT_NAMESPACE/{}\n    branch: $CI_COMMIT_REF_NAME\n"
                           "    strategy: depend\n",
                           trigger_project(job.triggered.front()));
        return;
    }
    std::string stage_argument = yaml_string(job.stage->name);
    if (job.instances.size() > 1) {
        out += "  parallel:\n    matrix:\n      - CHAIN_INSTANCE:\n";
        for (const std::string& instance : job.instances) {
            out += "          - " + yaml_string(instance) + "\n";
        }
        stage_argument = "\"$CHAIN_INSTANCE\"";
    }
    out += "  script:\n    - " + run_command(file, params, stage_argument) + "\n";
    std::string store = chain_folder(file);
    out += fmt::format("  artifacts:\n    paths:\n      - {}/out/\n      - {}/artifacts/\n", store, store);
    if (job.budget_minutes) {
        out += fmt::format("  timeout: {}m\n", *job.budget_minutes);
    }
}

void github_job(std::string& out, const Job& job, const std::string& condition, const std::string& file,
                const std::vector<std::string>& params) {
    out += "\n  " + job.stage->name + ":\n    runs-on: ubuntu-latest\n";
    if (!condition.empty()) {
        out += "    if: " + single_quoted(condition) + "\n";
    }
    if (!job.needs.empty()) {
        std::string needs;
        for (const std::string& need : job.needs) {
            needs += (needs.empty() ? "" : ", ") + need;
        }
        out += "    needs: [" + needs + "]\n";
    }
    if (job.stage->manual) {
        // A job waits for a person when its environment has required reviewers.
        out += "    environment: " + job.stage->name + "\n";
    }
    if (job.budget_minutes) {
        out += fmt::format("    timeout-minutes: {}\n", *job.budget_minutes);
    }
    if (job.instances.size() > 1) {
        out += "    strategy:\n      matrix:\n        instance:\n";
        for (const std::string& instance : job.instances) {
            out += "          - " + yaml_string(instance) + "\n";
        }
    }
    out += "    steps:\n";
    if (!job.triggered.empty()) {
        for (const std::string& repository : job.triggered) {
            out += fmt::format("      - name: trigger {}\n        env:\n          GH_TOKEN: ${{{{ secrets.CHAIN_TRIGGER_TOKEN }}}}\n"
                               "        run: gh workflow run chain.yml --repo \"${{{{ github.repository_owner }}}}/{}\" "
                               "--ref \"${{{{ github.ref_name }}}}\"\n",
                               trigger_project(repository), trigger_project(repository));
        }
        return;
    }
    out += "      - uses: actions/checkout@v4\n        with:\n          fetch-depth: 0\n";
    std::string store = chain_folder(file);
    if (!job.needs.empty()) {
        out += fmt::format("      - uses: actions/download-artifact@v4\n        with:\n          pattern: chain-*\n"
                           "          merge-multiple: true\n          path: {}\n",
                           store);
    }
    std::string stage_argument = job.instances.size() > 1 ? "\"${{ matrix.instance }}\"" : yaml_string(job.stage->name);
    out += "      - run: " + run_command(file, params, stage_argument) + "\n";
    out += fmt::format("      - uses: actions/upload-artifact@v4\n        with:\n          name: chain-{}{}\n"
                       "          path: |\n            {}/out/\n            {}/artifacts/\n",
                       job.stage->name, job.instances.size() > 1 ? "-${{ strategy.job-index }}" : "", store, store);
}

} // namespace

ExportResult export_pipeline(const CheckedProgram& program, const Plan& plan, CiEngine engine, const std::string& file,
                             const std::vector<std::string>& params) {
    ExportResult result;
    PlanOptions options;
    options.ref = plan.ref;
    ConditionReader reader(program, options);
    auto refuse = [&](const StageInfo& stage, std::string message) {
        result.diagnostics.push_back(Diagnostic{stage.file->source, stage.decl->name.range, Severity::error, "E0601",
                                                std::move(message), ""});
    };

    std::vector<Job> jobs;
    for (std::size_t index : program.stage_order) {
        const StageInfo& stage = program.stages[index];
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
        if (stage.condition) {
            std::string why;
            std::optional<Formula> formula = reader.read(*stage.condition, why);
            if (!formula) {
                refuse(stage, fmt::format("the condition of stage '{}' cannot be exported: {}", stage.name, why));
                continue;
            }
            job.condition = normalized(*formula);
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
                std::optional<std::string> repository = literal_text(*callee->args.front().value);
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
    if (engine == CiEngine::gitlab) {
        out += fmt::format("# {} for GitLab CI, made by `chain export --to gitlab {}`: each job runs its stage with\n"
                           "# chain, which must be on the runner's PATH. Regenerate it after changing {}.\n",
                           name, file, file);
        if (!secrets.empty()) {
            std::string listed;
            for (const std::string& secret : secrets) {
                listed += (listed.empty() ? "" : ", ") + secret;
            }
            out += "# Secrets: define each of " + listed + " as a masked CI/CD variable of the project.\n";
        }
        out += "\nstages:\n  - chain\n\nvariables:\n  GIT_DEPTH: \"0\" # version() counts the commits since the last tag\n";
        for (const Job& job : jobs) {
            gitlab_job(out, job, file, params);
        }
    } else {
        out += fmt::format("# {} for GitHub Actions, made by `chain export --to github {}`: each job runs its stage\n"
                           "# with chain, which must be on the runner's PATH. Regenerate it after changing {}.\n",
                           name, file, file);
        out += fmt::format("name: {}\n\non:\n  push:\n    branches: [\"**\"]\n    tags: [\"**\"]\n  workflow_dispatch:\n",
                           yaml_string(name));
        if (!secrets.empty()) {
            out += "\nenv:\n";
            for (const std::string& secret : secrets) {
                out += fmt::format("  {}: ${{{{ secrets.{} }}}}\n", secret, secret);
            }
        }
        out += "\njobs:";
        for (const Job& job : jobs) {
            std::string why;
            std::optional<std::string> condition =
                job.condition.kind == Formula::constant ? std::optional(std::string(job.condition.value ? "" : "false"))
                                                        : github_if(job.condition, why);
            if (!condition) {
                refuse(*job.stage, fmt::format("the condition of stage '{}' cannot be exported: {}", job.stage->name, why));
                continue;
            }
            github_job(out, job, *condition, file, params);
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
