#include "plan.hpp"

#include "store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <unordered_map>

namespace chain {

namespace {

using stdlib::Step;
using stdlib::Value;

/// Names bound while planning a body: block lets, the matrix variable, a fn's parameters.
struct Scope {
    const Scope* parent = nullptr;
    std::vector<std::pair<std::string, Value>> names;

    const Value* find(std::string_view name) const {
        for (const Scope* scope = this; scope; scope = scope->parent) {
            for (auto it = scope->names.rbegin(); it != scope->names.rend(); ++it) {
                if (it->first == name) {
                    return &it->second;
                }
            }
        }
        return nullptr;
    }
};

constexpr std::string_view out_prefix = ".chain/out/";
constexpr std::string_view scratch_prefix = ".chain/scratch/";

std::string instance_folder(const std::string& instance) { return std::string(out_prefix) + instance_folder_name(instance); }

/// The stage instance whose steps are being planned.
struct InstanceContext {
    InstanceContext(StageInstance* instance, const StageInfo* stage, const ProgramFile* file)
        : instance(instance), stage(stage), file(file) {
        std::string name = instance_folder_name(instance->name);
        folder.reserve(out_prefix.size() + name.size());
        folder.append(out_prefix).append(name);
        scratch.reserve(scratch_prefix.size() + name.size());
        scratch.append(scratch_prefix).append(name);
    }

    StageInstance* instance;
    const StageInfo* stage; // null for the scratch instance of a value
    std::string folder;  // instance_folder() of the instance, which every artifact and call needs
    std::string scratch; // the same folder name under .chain/scratch/, which every call is given
    const ProgramFile* file;
    std::map<std::string, Value> artifacts; // made so far
    int unnamed = 0;                       // artifacts made inside expressions, like dir("out")
};

bool truthy(const Value& value) { return value.number != 0; }

/// Drops the steps from `first_new` on that repeat a step guarded by what it creates, earlier in the same
/// stage (a chroot and an image over the same debootstrap base both make the base): the earlier one made
/// that path or found it made, so the repeat could only ever be skipped.
void drop_repeated_guarded_steps(std::vector<Step>& steps, std::size_t first_new) {
    auto same = [](const Step& a, const Step& b) {
        return a.creates == b.creates && a.argv == b.argv && a.action_args == b.action_args && a.env == b.env &&
               a.root == b.root && a.workdir == b.workdir;
    };
    auto earlier_end = steps.begin() + static_cast<std::ptrdiff_t>(first_new);
    auto repeated = [&](const Step& step) {
        return !step.creates.empty() &&
               std::any_of(steps.begin(), earlier_end, [&](const Step& earlier) { return same(earlier, step); });
    };
    steps.erase(std::remove_if(earlier_end, steps.end(), repeated), steps.end());
}

using Environment = std::vector<std::pair<std::string, std::string>>;

/// The variables of an env record, as text.
Environment environment_of(const Value& record) {
    Environment variables;
    for (const auto& [name, value] : record.fields) {
        variables.emplace_back(name, stdlib::text_of(value));
    }
    return variables;
}

/// Gives every command among `steps` the `variables`: `replacing` those the step has already, or else
/// only those it does not have (what is more specific wins: a builtin's env: over a chroot's or the stage's).
void add_environment(std::vector<Step>& steps, std::size_t first, const Environment& variables, bool replacing) {
    for (std::size_t i = first; i < steps.size(); ++i) {
        Step& step = steps[i];
        if (step.argv.empty()) {
            continue; // chain's own action: no process to give them to
        }
        for (const auto& variable : variables) {
            auto same = std::find_if(step.env.begin(), step.env.end(),
                                     [&](const auto& set) { return set.first == variable.first; });
            if (same == step.env.end()) {
                step.env.push_back(variable);
            } else if (replacing) {
                same->second = variable.second;
            }
        }
    }
}

class Planner {
  public:
    Planner(const CheckedProgram& program, const PlanOptions& options)
        : program_(program), options_(options), instances_of_(program.stages.size()) {}

    Plan run() {
        start();
        plan_.stages.reserve(program_.stages.size());
        for (std::size_t index : program_.stage_order) {
            expand(index);
        }
        return std::move(plan_);
    }

    ValueSource source_named(const GlobalValue& value) { return source_of(value, value_named(value)); }

    Value value_named(const GlobalValue& value) {
        start();
        // A builtin that plans steps (package) needs a stage to put them in: a scratch one, dropped.
        StageInstance scratch;
        scratch.name = "(value)";
        InstanceContext context(&scratch, nullptr, value.file);
        current_ = &context;
        Value result = global(value);
        current_ = nullptr;
        result.secret = result.secret || !plan_.secrets.empty() || !plan_.secret_problems.empty();
        return result;
    }

  private:
    void start() {
        project_ = project_folder();
        plan_.pipeline = program_.pipeline_name;
        plan_.ref = options_.ref;
        plan_.version = pipeline_version(options_.ref, options_.git);
    }

    const CheckedProgram& program_;
    const PlanOptions& options_;
    Plan plan_;
    std::string project_; // the pipeline's folder, the same for every call
    stdlib::ProjectFacts facts_;
    std::map<std::string, Value> globals_;
    /// By stage index, the stage's instances as indices in plan_.stages, once the stage is expanded.
    std::vector<std::optional<std::vector<std::size_t>>> instances_of_;
    /// Every artifact made so far with what its builtin knows of it (a package's file), by `instance.name`.
    std::map<std::string, Value> made_artifacts_;
    InstanceContext* current_ = nullptr;
    /// The top-level values the stage being planned uses, and those each value's own expression used.
    std::vector<const GlobalValue*>* uses_ = nullptr;
    std::map<const GlobalValue*, std::vector<const GlobalValue*>> used_by_;
    /// The source of each top-level value a stage used: every instance that uses it shows the same one, and
    /// finding its line was most of the cost of a stage that uses values.
    std::unordered_map<const GlobalValue*, ValueSource> sources_;

    void note_use(const GlobalValue& value) {
        if (!uses_ || std::find(uses_->begin(), uses_->end(), &value) != uses_->end()) {
            return;
        }
        uses_->push_back(&value);
        if (auto it = used_by_.find(&value); it != used_by_.end()) {
            for (const GlobalValue* used : it->second) {
                note_use(*used);
            }
        }
    }

    ValueSource source_of(const GlobalValue& value, const Value& result) const {
        ValueSource source{value.kind, value.name, result.secret ? std::string(secret_mask) : stdlib::literal_of(result), ""};
        auto at = [&] {
            return fmt::format("{}:{}", value.file->source->name(), value.file->source->position(value.name_range.begin).line);
        };
        switch (value.kind) {
        case ValueKind::param:
            source.source = value.given ? "-p on the command line" : "default (" + at() + ")";
            break;
        case ValueKind::let:
            source.source = at();
            break;
        case ValueKind::secret: {
            const auto& literal = std::get<ast::StringLit>(value.value->node);
            std::string variable;
            for (const ast::StringPart& part : literal.parts) {
                variable += std::get<std::string>(part);
            }
            bool missing = std::any_of(plan_.secret_problems.begin(), plan_.secret_problems.end(),
                                       [&](const SecretProblem& problem) { return problem.name == value.name && problem.missing(); });
            source.source = fmt::format("env {}, {}", variable, missing ? "not set" : "set");
            break;
        }
        }
        return source;
    }

    // ---- values ------------------------------------------------------------------------------------------
    Value global(const GlobalValue& value) {
        note_use(value);
        if (auto it = globals_.find(value.name); it != globals_.end()) {
            return it->second;
        }
        std::vector<const GlobalValue*> used;
        std::vector<const GlobalValue*>* outer = uses_;
        uses_ = &used;
        Value result = evaluate_global(value);
        uses_ = outer;
        for (const GlobalValue* inner : used) {
            note_use(*inner);
        }
        used_by_[&value] = std::move(used);
        globals_[value.name] = result;
        return result;
    }

    Value evaluate_global(const GlobalValue& value) {
        Value result;
        if (value.kind == ValueKind::secret) {
            const auto& literal = std::get<ast::StringLit>(value.value->node);
            std::string variable;
            for (const ast::StringPart& part : literal.parts) {
                variable += std::get<std::string>(part);
            }
            const char* text = std::getenv(variable.c_str());
            std::optional<SecretProblem> problem = secret_problem(value.name, variable, text);
            // A missing secret is planned as the mask, for the plan to show: nothing runs with it.
            bool missing = problem && problem->missing();
            result = Value::of_text(missing ? std::string(secret_mask) : std::string(text));
            result.secret = true;
            if (!missing) {
                plan_.secrets.push_back(text);
                // In a sh("...") string the secret is a shell-quoted word: that form is masked too.
                if (std::string quoted = stdlib::shell_quote(text); quoted != text) {
                    plan_.secrets.push_back(std::move(quoted));
                }
            }
            if (problem) {
                plan_.secret_problems.push_back(std::move(*problem));
            }
        } else {
            const ast::Expr* expr = value.given ? &*value.given : value.value;
            Scope scope;
            result = expr ? evaluate(*expr, scope, value.file) : Value::none();
        }
        return result;
    }

    Value artifact_of_stage(const StageInfo& stage, const std::string& name) {
        std::uint16_t kind = stage.artifacts.at(name).type.artifacts;
        const auto& expanded = instances_of_[static_cast<std::size_t>(&stage - program_.stages.data())];
        std::vector<Value> instances;
        if (expanded) {
            for (std::size_t index : *expanded) {
                const StageInstance& instance = plan_.stages[index];
                auto made = made_artifacts_.find(instance.name + "." + name);
                instances.push_back(made != made_artifacts_.end()
                                        ? made->second
                                        : stdlib::artifact_at(instance_folder(instance.name) + "/" + name, kind));
            }
        } else {
            instances.push_back(stdlib::artifact_at(instance_folder(stage.name) + "/" + name, kind));
        }
        if (!stage.matrix) {
            return instances.front();
        }
        Value list;
        list.kind = Value::Kind::list;
        list.items = std::move(instances);
        return list;
    }

    /// How `${value}` reads in a sh("...") string: one shell-quoted word, or for a list one per item,
    /// separated by spaces (none for an empty list), so that no interpolated value is ever code.
    static std::string shell_words(const Value& value) {
        if (value.kind != Value::Kind::list) {
            return stdlib::shell_quote(stdlib::text_of(value));
        }
        std::string words;
        for (const Value& item : value.items) {
            words += (words.empty() ? "" : " ") + stdlib::shell_quote(stdlib::text_of(item));
        }
        return words;
    }

    Value evaluate(const ast::Expr& expr, const Scope& scope, const ProgramFile* file) {
        return std::visit(
            overloaded{
                [&](const ast::StringLit& s) {
                    Value value;
                    value.kind = Value::Kind::str;
                    for (const ast::StringPart& part : s.parts) {
                        if (const auto* text = std::get_if<std::string>(&part)) {
                            // Text written in the file is the user's own shell code: it stays as it is.
                            value.text += *text;
                            value.shell += *text;
                        } else {
                            Value inner = evaluate(*std::get<ast::Box<ast::Expr>>(part), scope, file);
                            value.text += stdlib::text_of(inner);
                            value.shell += shell_words(inner);
                            value.secret = value.secret || inner.secret;
                        }
                    }
                    return value;
                },
                [&](const ast::IntLit& i) { return Value::of_int(i.value); },
                [&](const ast::BoolLit& b) { return Value::of_bool(b.value); },
                [&](const ast::DurationLit& d) {
                    Value value;
                    value.kind = Value::Kind::duration;
                    value.number = d.milliseconds;
                    return value;
                },
                [&](const ast::PercentLit& p) {
                    Value value;
                    value.kind = Value::Kind::percent;
                    value.percent = p.value;
                    return value;
                },
                [&](const ast::DecimalLit&) -> Value {
                    throw std::logic_error("a number with a fraction reached evaluation; the checker refuses it");
                },
                [&](const ast::RefPattern& pattern) {
                    Value value = Value::of_bool(refs::matches(pattern, options_.ref));
                    value.kind = Value::Kind::cond;
                    return value;
                },
                [&](const ast::Name& name) { return lookup(std::string(name.ident.name), scope); },
                [&](const ast::Member& member) {
                    return artifact_of_stage(*program_.find_stage(std::string(member.object.name)), std::string(member.member.name));
                },
                [&](const ast::Call& call) { return call_value(call, scope, file, "", nullptr); },
                [&](const ast::ListExpr& list) {
                    Value value;
                    value.kind = Value::Kind::list;
                    value.items.reserve(list.items.size());
                    for (const ast::Expr& item : list.items) {
                        value.items.push_back(evaluate(item, scope, file));
                        value.secret = value.secret || value.items.back().secret;
                    }
                    return value;
                },
                [&](const ast::RecordExpr& record) {
                    Value value;
                    value.kind = Value::Kind::record;
                    value.fields.reserve(record.entries.size());
                    for (const ast::RecordEntry& entry : record.entries) {
                        value.fields.emplace_back(entry.key.name, evaluate(*entry.value, scope, file));
                    }
                    return value;
                },
                [&](const ast::Infix& infix) { return evaluate_infix(infix, scope, file); },
                [&](const ast::Not& negation) {
                    Value value = evaluate(*negation.operand, scope, file);
                    value.number = value.number ? 0 : 1;
                    return value;
                },
            },
            expr.node);
    }

    /// An operator chain, folded left to right as its operators associate.
    Value evaluate_infix(const ast::Infix& infix, const Scope& scope, const ProgramFile* file) {
        Value value = evaluate(infix.operands.front(), scope, file);
        for (std::size_t i = 1; i < infix.operands.size(); ++i) {
            value = combine(infix.ops[i - 1], std::move(value), evaluate(infix.operands[i], scope, file));
        }
        return value;
    }

    static Value combine(ast::BinaryOp op, Value lhs, Value rhs) {
        switch (op) {
        case ast::BinaryOp::or_:
        case ast::BinaryOp::pipe: {
            Value value = Value::of_bool(truthy(lhs) || truthy(rhs));
            value.kind = lhs.kind == Value::Kind::bool_ && rhs.kind == Value::Kind::bool_ ? Value::Kind::bool_
                                                                                           : Value::Kind::cond;
            return value;
        }
        case ast::BinaryOp::and_: {
            Value value = Value::of_bool(truthy(lhs) && truthy(rhs));
            value.kind = lhs.kind == Value::Kind::bool_ && rhs.kind == Value::Kind::bool_ ? Value::Kind::bool_
                                                                                           : Value::Kind::cond;
            return value;
        }
        case ast::BinaryOp::equal:
        case ast::BinaryOp::not_equal: {
            bool same = stdlib::text_of(lhs) == stdlib::text_of(rhs);
            return Value::of_bool(same == (op == ast::BinaryOp::equal));
        }
        case ast::BinaryOp::plus:
            if (lhs.kind == Value::Kind::list) {
                lhs.items.insert(lhs.items.end(), rhs.items.begin(), rhs.items.end());
            } else {
                lhs.text += rhs.text;
                lhs.shell += rhs.shell;
            }
            lhs.secret = lhs.secret || rhs.secret;
            return lhs;
        }
        return Value::none();
    }

    Value lookup(const std::string& name, const Scope& scope) {
        if (const Value* local = scope.find(name)) {
            return *local;
        }
        if (current_) {
            if (auto it = current_->artifacts.find(name); it != current_->artifacts.end()) {
                return it->second;
            }
        }
        if (const GlobalValue* value = program_.find_value(name)) {
            return global(*value);
        }
        return Value::none();
    }

    // ---- calls -------------------------------------------------------------------------------------------
    /// The folder of the pipeline file, where its steps run.
    std::string project_folder() const {
        if (program_.loaded.files.empty()) {
            return ".";
        }
        std::string folder = std::filesystem::path(program_.loaded.files.front()->path).parent_path().string();
        return folder.empty() ? "." : folder;
    }

    /// The value of a call; a builtin's steps go to the current instance, or to `into` when given.
    Value call_value(const ast::Call& call, const Scope& scope, const ProgramFile* file, std::string output,
                     const ast::Block* block) {
        const Callee& callee = program_.callees.at(&call);
        std::vector<Step> discarded;
        std::vector<Step>& steps = current_ ? current_->instance->steps : discarded;
        if (callee.fn) {
            expand_fn(*callee.fn, call, scope, file);
            return Value::none();
        }
        const stdlib::Builtin& builtin = *callee.builtin;
        stdlib::Invocation invocation;
        invocation.args.resize(builtin.params.size());
        std::size_t position = 0;
        for (const ast::Arg& arg : call.args) {
            std::size_t index = arg.label ? static_cast<std::size_t>(builtin.param_index(arg.label->name)) : position++;
            const stdlib::Param& param = builtin.params[index];
            if (!param.words.empty()) {
                invocation.args[index] = Value::of_text(std::string(std::get<ast::Name>(arg.value->node).ident.name));
            } else {
                invocation.args[index] = evaluate(*arg.value, scope, file);
                const auto* text = std::get_if<ast::StringLit>(&arg.value->node);
                invocation.literal[index] =
                    text && text->parts.size() <= 1 &&
                    std::all_of(text->parts.begin(), text->parts.end(),
                                [](const ast::StringPart& part) { return std::holds_alternative<std::string>(part); });
            }
        }
        if (current_) {
            if (output.empty() && builtin.makes_artifact()) {
                output = current_->folder + "/_" + std::to_string(++current_->unnamed);
            }
            invocation.scratch = current_->scratch;
        }
        if (current_ && !output.empty()) {
            current_->instance->outputs.push_back(output);
        }
        invocation.output = std::move(output);
        invocation.version = plan_.version;
        invocation.project = project_;
        invocation.facts = &facts_;
        invocation.ref_name = options_.ref.name;
        invocation.ref_is_tag = options_.ref.is_tag;
        invocation.chain_program = options_.chain_program;
        if (block) {
            // The block's steps are planned on their own, and handed to the block builtin to place.
            std::swap(invocation.block, steps);
            Scope inner{&scope, {}};
            plan_block(*block, inner, file);
            std::swap(invocation.block, steps);
        }
        std::size_t first_new = steps.size();
        Value value = builtin.plan(invocation, steps);
        drop_repeated_guarded_steps(steps, first_new);
        if (builtin.has_effect(invocation)) {
            for (std::size_t i = first_new; i < steps.size(); ++i) {
                steps[i].effect = true;
            }
        }
        if (int env = builtin.env_param; env >= 0 && invocation.args[static_cast<std::size_t>(env)]) {
            // A block builtin's variables go to its block's steps too, where a step's own env: wins.
            add_environment(steps, first_new, environment_of(*invocation.args[static_cast<std::size_t>(env)]),
                            !block);
        }
        return value;
    }

    void expand_fn(const FnInfo& fn, const ast::Call& call, const Scope& scope, const ProgramFile* file) {
        // A fn sees its parameters and the globals, never the caller's locals.
        Scope body;
        std::size_t position = 0;
        for (const ast::Arg& arg : call.args) {
            std::size_t index = position;
            if (arg.label) {
                for (std::size_t i = 0; i < fn.decl->params.size(); ++i) {
                    if (fn.decl->params[i].name.name == arg.label->name) {
                        index = i;
                    }
                }
            } else {
                ++position;
            }
            body.names.emplace_back(fn.decl->params[index].name.name, evaluate(*arg.value, scope, file));
        }
        plan_block(fn.decl->body, body, fn.file);
    }

    /// Whether the artifact the current instance made is the value artifact_of_stage() finds without a
    /// record of it: most are, and a record for each of 20,000 instances was a tenth of a large plan.
    bool made_as_found(const Value& made, const std::string& path, const std::string& name) const {
        const StageInfo* stage = current_->stage;
        auto declared = stage ? stage->artifacts.find(name) : std::map<std::string, ArtifactInfo>::const_iterator();
        return stage && declared != stage->artifacts.end() && made.kind == Value::Kind::artifact &&
               made.text == path && made.shell.empty() && made.number == 0 && made.percent == 0 &&
               made.artifact_kind == declared->second.type.artifacts && made.target_kind == 0 &&
               made.items.empty() && made.fields.empty() && !made.secret;
    }

    // ---- statements ----------------------------------------------------------------------------------------
    void plan_block(const ast::Block& block, const Scope& parent, const ProgramFile* file) {
        Scope scope{&parent, {}};
        for (const ast::Stmt& stmt : block.stmts) {
            std::visit(overloaded{
                           [&](const ast::ArtifactStmt& artifact) {
                               std::string path = current_->folder + "/" + std::string(artifact.name.name);
                               Value value;
                               if (const auto* call = std::get_if<ast::Call>(&artifact.value.node)) {
                                   value = call_value(*call, scope, file, path, nullptr);
                               } else {
                                   value = evaluate(artifact.value, scope, file);
                               }
                               std::string name(artifact.name.name);
                               current_->artifacts[name] = value;
                               current_->instance->artifacts[name] = value.text;
                               // Erased when found as made: a fn called twice makes its artifact twice.
                               std::string key = current_->instance->name + "." + name;
                               if (made_as_found(value, path, name)) {
                                   made_artifacts_.erase(key);
                               } else {
                                   made_artifacts_[std::move(key)] = value;
                               }
                           },
                           [&](const ast::Let& let) { scope.names.emplace_back(let.name.name, evaluate(let.value, scope, file)); },
                           [&](const ast::WhenStmt& when) {
                               if (truthy(evaluate(when.condition, scope, file))) {
                                   plan_block(when.then_block, scope, file);
                               } else if (when.else_block) {
                                   plan_block(*when.else_block, scope, file);
                               }
                           },
                           [&](const ast::CallStmt& call_stmt) {
                               const auto& call = std::get<ast::Call>(call_stmt.call.node);
                               call_value(call, scope, file, "", call_stmt.block ? &*call_stmt.block : nullptr);
                           },
                       },
                       stmt.node);
        }
    }

    // ---- conditions ------------------------------------------------------------------------------------------
    /// The plan knows every atom of a condition: it evaluates names, comparisons and any other expression as
    /// it evaluates values, so a stage runs exactly when its condition's value is true. Each atom is evaluated
    /// once into `known`, as the verdict and the explanation read the same atoms.
    conditions::Values condition_values(std::vector<std::pair<const conditions::Formula*, bool>>& known) {
        return conditions::Values{[this, &known](const conditions::Formula& atom) -> std::optional<bool> {
            for (const auto& [seen, value] : known) {
                if (seen == &atom) {
                    return value;
                }
            }
            Scope scope;
            known.emplace_back(&atom, truthy(evaluate(*atom.expr, scope, atom.file)));
            return known.back().second;
        }};
    }

    // ---- stages --------------------------------------------------------------------------------------------
    void expand(std::size_t index) {
        const StageInfo& stage = program_.stages[index];
        std::vector<const GlobalValue*> used;
        uses_ = &used;
        instances_of_[index].emplace();
        expand_instances(stage, *instances_of_[index]);
        uses_ = nullptr;
        std::vector<ValueSource> values;
        values.reserve(used.size());
        for (const GlobalValue* value : used) {
            auto [known, added] = sources_.try_emplace(value);
            if (added) {
                known->second = source_of(*value, globals_.at(value->name));
            }
            values.push_back(known->second);
        }
        const std::vector<std::size_t>& instances = *instances_of_[index];
        for (std::size_t instance : instances) {
            // The last instance takes them: the others copy them.
            plan_.stages[instance].values = instance == instances.back() ? std::move(values) : values;
            if (options_.finished) {
                options_.finished(plan_, plan_.stages[instance]);
            }
        }
    }

    void expand_instances(const StageInfo& stage, std::vector<std::size_t>& instances) {
        Scope top;
        bool matches_ref = true;
        std::string reason = "no condition: runs on every ref";
        std::vector<std::string> explanation;
        if (stage.formula) {
            std::vector<std::pair<const conditions::Formula*, bool>> known;
            conditions::Values values = condition_values(known);
            matches_ref = conditions::holds(*stage.formula, options_.ref, values);
            if (options_.explain) {
                explanation = conditions::explain(*stage.formula, options_.ref, values);
            }
            std::string condition(conditions::source_text(*stage.formula));
            if (matches_ref) {
                const conditions::Formula* pattern = conditions::matching_pattern(*stage.formula, options_.ref);
                reason = pattern ? std::string(conditions::source_text(*pattern)) + " matches" : condition + " is true";
            } else {
                reason = condition + " does not match";
            }
        }

        bool approved = std::find(options_.approved.begin(), options_.approved.end(), stage.name) !=
                        options_.approved.end();
        // The instances of a matrix mostly have as many steps as each other: room for as many as the one
        // before spares growing the steps (each a dozen strings and lists) one call at a time.
        std::size_t steps_before = 0;
        // The last instance takes the stage's reason and explanation: the others copy them.
        auto plan_instance = [&](std::string name, Value* binding, bool last) {
            StageInstance& instance = plan_.stages.emplace_back();
            instance.name = std::move(name);
            instance.stage = stage.name;
            instance.runs = matches_ref;
            instance.reason = last ? std::move(reason) : reason;
            instance.explanation = last ? std::move(explanation) : explanation;
            instance.manual = stage.manual;
            instance.allow_failure = stage.allow_failure;
            instance.timeout_ms = stage.timeout_ms;
            instance.retries = stage.retries;
            instance.inputs = stage.inputs;
            instance.needs.reserve(stage.needs.size());
            for (std::size_t need : stage.needs) {
                // Every stage is expanded after the ones it needs.
                for (std::size_t needed : *instances_of_[need]) {
                    const StageInstance& other = plan_.stages[needed];
                    instance.needs.push_back(other.name);
                    if (instance.runs && !other.runs) {
                        instance.runs = false;
                        instance.reason = fmt::format("needs '{}', which does not run", other.name);
                    }
                }
            }
            if (instance.runs && stage.manual && !approved) {
                instance.runs = false;
                instance.reason = fmt::format("manual: waits for --approve {}", stage.name);
            }
            instances.push_back(plan_.stages.size() - 1);
            if (!instance.runs) {
                return;
            }
            instance.steps.reserve(steps_before);
            InstanceContext context(&instance, &stage, stage.file);
            current_ = &context;
            Scope scope{nullptr, {}};
            if (binding) {
                scope.names.emplace_back(stage.matrix->variable.name, std::move(*binding));
            }
            plan_block(stage.decl->body, scope, stage.file);
            if (stage.env) {
                Value variables = evaluate(*stage.env, scope, stage.file);
                add_environment(context.instance->steps, 0, environment_of(variables), false);
            }
            for (Step& step : context.instance->steps) {
                stdlib::pass_environment_through_tox(step);
            }
            // A stage publishes only once everything else in it has succeeded: publish steps go last, in
            // their own order, so that a failing step leaves nothing published.
            auto not_publish = [](const Step& step) { return step.builtin != "publish"; };
            std::vector<Step>& steps = context.instance->steps;
            if (!std::is_partitioned(steps.begin(), steps.end(), not_publish)) {
                std::stable_partition(steps.begin(), steps.end(), not_publish);
            }
            // Steps are appended one call at a time: without this, a stage's slack capacity (up to half of
            // its steps) stays in the plan for every instance.
            steps.shrink_to_fit();
            steps_before = steps.size();
            current_ = nullptr;
        };

        if (stage.matrix) {
            Value values = evaluate(*stage.matrix->values, top, stage.file);
            for (std::size_t i = 0; i < values.items.size(); ++i) {
                Value& item = values.items[i];
                plan_instance(fmt::format("{}[{}={}]", stage.name, stage.matrix->variable.name, stdlib::text_of(item)),
                              &item, i + 1 == values.items.size());
            }
        } else {
            plan_instance(stage.name, nullptr, true);
        }
    }
};

} // namespace

Plan make_plan(const CheckedProgram& program, const PlanOptions& options) { return Planner(program, options).run(); }

Value evaluate_value(const CheckedProgram& program, const PlanOptions& options, const GlobalValue& value) {
    return Planner(program, options).value_named(value);
}

std::vector<ValueSource> value_sources(const CheckedProgram& program, const PlanOptions& options) {
    std::vector<ValueSource> sources;
    for (const GlobalValue& value : program.values) {
        // A planner each: whether a secret went into a value is whether that value's planning met one.
        sources.push_back(Planner(program, options).source_named(value));
    }
    return sources;
}

std::string ValueSource::line() const {
    return fmt::format("{} {} = {}  # {}", value_kind_name(kind), name, value, source);
}

} // namespace chain
