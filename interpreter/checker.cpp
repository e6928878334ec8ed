#include "checker.hpp"

#include "edit_distance.hpp"
#include "grammar/parser.hpp"
#include "refs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>
#include <unordered_map>

namespace chain {

namespace {

/// A name bound inside a stage or fn: a block's let, a matrix variable, a fn parameter.
struct Local {
    std::string name;
    Type type;
    SourceRange range;
    const char* what; // "let", "matrix variable", "parameter", "artifact"
    bool used = false;
    const ProgramFile* file = nullptr;
};

/// A dependency of a stage on another, with where the dependency is written.
struct NeedRef {
    std::size_t stage;
    SourceRange range;
    const ProgramFile* file;
};

/// The text of `range` as written in `file`.
std::string_view source_text(const ProgramFile* file, SourceRange range) {
    if (!file || !file->source) {
        return {};
    }
    return std::string_view(file->source->text()).substr(range.begin, range.end - range.begin);
}

/// Items that may stand together in a list of command-line words: a str and an artifact, which stands
/// for its path. The list is then a `list<str>`.
bool are_words(const Type& a, const Type& b) {
    return (a.kind == Type::str && b.kind == Type::artifact) ||
           (a.kind == Type::artifact && b.kind == Type::str);
}

/// `fits`, and a list of artifacts where a list of words (`list<str>`) is wanted: the one place a value
/// stands for another type, so that `sh(["ls"] + test.report)` and `sh(test.report)` read alike.
bool fits_words(const Type& actual, const Type& expected) {
    return fits(actual, expected) || (actual.kind == Type::list && expected.kind == Type::list &&
                                      actual.element_type().kind == Type::artifact &&
                                      expected.element_type().kind == Type::str);
}

/// True for what `${...}` can put into a string: a value with a text form, or a list of such values (one
/// word each in a sh("...") string).
bool interpolates(const Type& type) {
    return has_text_form(type) || (type.kind == Type::list && has_text_form(type.element_type()));
}

/// What to write instead of `${...}` of a value that has no text form.
std::string instead_of_interpolating(const Type& type) {
    switch (type.kind) {
    case Type::list:
        return "a list is put in one word per item, and its items must have a text form (str, int, bool, "
               "duration, percent or an artifact)";
    case Type::target:
        return "give its location a name (let where = \"...\") and use it both to make the target and "
               "in ${where}";
    case Type::record: return "put in the values it holds, each with its own ${...}";
    case Type::cond: return "use it in 'when'; ${ref()} puts in the branch or tag name";
    case Type::none: return "it is a step, to be called in a stage on its own";
    default: return "";
    }
}

/// What the statements being checked belong to: a stage (by index) or a fn (by index).
struct Owner {
    std::optional<std::size_t> stage;
    std::optional<std::size_t> fn;
    const ProgramFile* file = nullptr;
};

struct Scope {
    Scope* parent = nullptr;
    std::vector<Local> locals;

    Local* find(std::string_view name) {
        for (Scope* scope = this; scope; scope = scope->parent) {
            for (Local& local : scope->locals) {
                if (local.name == name) {
                    return &local;
                }
            }
        }
        return nullptr;
    }
};

std::string joined_words(const std::vector<std::string>& words) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        out += i == 0 ? "" : i + 1 == words.size() ? " or " : ", ";
        out += words[i];
    }
    return out;
}

std::string did_you_mean(const std::string& closest) {
    return closest.empty() ? std::string() : fmt::format("did you mean '{}'?", closest);
}

/// A branch kind without its '/' is a name (`stage release`); where it stands for nothing but a name,
/// the ref pattern was most likely meant.
std::string ref_pattern_hint(const std::string& name) {
    for (std::string_view kind : {"feature", "release", "hotfix", "support"}) {
        if (name == kind) {
            return fmt::format("{} branches are matched by {}/*", kind, kind);
        }
    }
    return "";
}

/// E0314: chain has no number with a fraction but the percentage. Where text is wanted, or nothing says
/// what is wanted, `3.11` is a version written without quotes (the habit of YAML), so the hint says how
/// to write one; elsewhere it names what is wanted.
const char* const fraction_message = "a number with a fraction has no type in chain";

std::string fraction_hint(const std::string& written, const Type* expected) {
    Type::Kind wanted = expected ? expected->kind : Type::unknown;
    if (wanted == Type::list) {
        wanted = expected->element_type().kind;
    }
    if (wanted == Type::percent) {
        return "a percentage is written with '%', like 80% or 99.5%";
    }
    if (wanted == Type::unknown || wanted == Type::str) {
        return fmt::format("a version is text: write \"{}\"", written);
    }
    return fmt::format("{} is expected here", with_article(*expected));
}

class Checker {
  public:
    Checker(CheckedProgram& program, const stdlib::Registry& registry) : out_(program), registry_(registry) {}

    std::vector<Diagnostic> run(const CheckOptions& options) {
        collect_declarations();
        apply_param_settings(options);
        for (std::size_t i = 0; i < out_.values.size(); ++i) {
            type_global(i);
        }
        // Artifacts are first collected without diagnostics, so that a stage may use the artifacts of a
        // stage (or fn) that comes later in the file; the second pass checks everything and reports.
        quiet_ = true;
        for (std::size_t i = 0; i < out_.fns.size(); ++i) {
            collect_artifacts(out_.fns[i].decl->body, Owner{std::nullopt, i, out_.fns[i].file});
        }
        for (std::size_t i = 0; i < out_.stages.size(); ++i) {
            collect_artifacts(out_.stages[i].decl->body, Owner{i, std::nullopt, out_.stages[i].file});
        }
        quiet_ = false;
        out_.types.reserve(out_.loaded.files[0]->source->text().size() / 8);
        check_fn_bodies();
        check_stage_bodies();
        check_fn_recursion();
        check_graph();
        check_conditions();
        report_unused();
        return std::move(diagnostics_);
    }

  private:
    CheckedProgram& out_;
    const stdlib::Registry& registry_;
    std::vector<Diagnostic> diagnostics_;
    bool quiet_ = false;

    std::unordered_map<std::string, std::size_t> value_index_;
    std::unordered_map<std::string, std::size_t> fn_index_;
    std::unordered_map<std::string, std::size_t> stage_index_;
    std::vector<char> value_state_; // 0 untyped, 1 being typed, 2 typed
    std::vector<bool> value_used_;
    std::vector<bool> fn_used_;
    std::vector<std::set<std::string>> artifact_used_;
    std::vector<std::vector<NeedRef>> needs_;       // per stage
    std::vector<std::vector<NeedRef>> fn_stage_refs_; // per fn: stages whose artifacts its body uses
    std::vector<std::set<std::size_t>> fn_calls_;     // per fn: the fns its body calls
    std::vector<Local> finished_locals_;              // for unused warnings
    std::set<std::string> made_artifacts_;            // artifacts of the stage being checked, made so far

    // ---- reporting -------------------------------------------------------------------------------------
    void report(const ProgramFile* file, SourceRange range, Severity severity, std::string code, std::string message,
                std::string hint = "") {
        if (quiet_) {
            return;
        }
        diagnostics_.push_back(Diagnostic{file ? file->source : nullptr, range, severity, std::move(code),
                                          std::move(message), std::move(hint)});
    }
    void error(const ProgramFile* file, SourceRange range, std::string code, std::string message,
               std::string hint = "") {
        report(file, range, Severity::error, std::move(code), std::move(message), std::move(hint));
    }
    void warning(const ProgramFile* file, SourceRange range, std::string code, std::string message,
                 std::string hint = "") {
        report(file, range, Severity::warning, std::move(code), std::move(message), std::move(hint));
    }

    std::string where(const ProgramFile* file, SourceRange range) const {
        LineColumn at = file->source->position(range.begin);
        return fmt::format("{}:{}:{}", file->source->name(), at.line, at.column);
    }

    // ---- declarations ----------------------------------------------------------------------------------
    void collect_declarations() {
        if (!out_.loaded.files.empty() && out_.loaded.files[0]->ast.header) {
            const ast::Header& header = *out_.loaded.files[0]->ast.header;
            out_.pipeline_name = header.name;
            out_.pipeline_kind = header.kind ? header.kind->name : "";
        }
        for (const auto& file_ptr : out_.loaded.files) {
            const ProgramFile* file = file_ptr.get();
            for (const ast::Decl& decl : file->ast.decls) {
                std::visit(overloaded{
                               [&](const ast::Import&) {},
                               [&](const ast::Let& let) {
                                   add_value(GlobalValue{ValueKind::let, let.name.name, file, let.name.range,
                                                         &let.value, std::nullopt,
                                                         let.type ? Type::from_ast(*let.type) : Type{}});
                               },
                               [&](const ast::Param& param) {
                                   add_value(GlobalValue{ValueKind::param, param.name.name, file, param.name.range,
                                                         param.default_value ? &*param.default_value : nullptr,
                                                         std::nullopt, Type::from_ast(param.type)});
                               },
                               [&](const ast::Secret& secret) {
                                   check_secret_variable(secret, file);
                                   add_value(GlobalValue{ValueKind::secret, secret.name.name, file,
                                                         secret.name.range, &secret.variable, std::nullopt,
                                                         Type::of(Type::str)});
                               },
                               [&](const ast::Fn& fn) { add_fn(fn, file); },
                               [&](const ast::Stage& stage) { add_stage(stage, file); },
                           },
                           decl.node);
            }
        }
        out_.value_index = value_index_;
        out_.fn_index = fn_index_;
        out_.stage_index = stage_index_;
        value_state_.assign(out_.values.size(), 0);
        value_used_.assign(out_.values.size(), false);
        fn_used_.assign(out_.fns.size(), false);
        fn_stage_refs_.assign(out_.fns.size(), {});
        fn_calls_.assign(out_.fns.size(), {});
        artifact_used_.assign(out_.stages.size(), {});
        needs_.assign(out_.stages.size(), {});
    }

    /// The variable a secret is read from is named in generated CI files too (`secrets.NAME` of a
    /// GitHub workflow): it must be an environment variable's name there and in every shell.
    void check_secret_variable(const ast::Secret& secret, const ProgramFile* file) {
        const auto* literal = std::get_if<ast::StringLit>(&secret.variable.node);
        std::string variable;
        bool valid = literal != nullptr;
        for (std::size_t index = 0; literal && index < literal->parts.size(); ++index) {
            const auto* text = std::get_if<std::string>(&literal->parts[index]);
            valid = valid && text;
            variable += text ? *text : std::string("${...}");
        }
        valid = valid && !variable.empty() && !(variable.front() >= '0' && variable.front() <= '9');
        for (char c : variable) {
            valid = valid && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
        }
        if (!valid) {
            error(file, secret.variable.range, "E0313",
                  fmt::format("secret '{}' reads '{}', which is not an environment variable's name",
                              secret.name.name, variable),
                  "a name is letters, digits and _, not starting with a digit, as in env(\"DEPLOY_KEY\")");
        }
    }

    void add_value(GlobalValue value) {
        auto [it, inserted] = value_index_.emplace(value.name, out_.values.size());
        if (!inserted) {
            const GlobalValue& first = out_.values[it->second];
            error(value.file, value.name_range, "E0208",
                  fmt::format("'{}' is already defined as a {}", value.name, value_kind_name(first.kind)),
                  fmt::format("first defined at {}", where(first.file, first.name_range)));
            return;
        }
        out_.values.push_back(std::move(value));
    }

    void add_fn(const ast::Fn& fn, const ProgramFile* file) {
        auto [it, inserted] = fn_index_.emplace(fn.name.name, out_.fns.size());
        if (!inserted) {
            const FnInfo& first = out_.fns[it->second];
            error(file, fn.name.range, "E0209", fmt::format("fn '{}' is already defined", fn.name.name),
                  fmt::format("first defined at {}", where(first.file, first.decl->name.range)));
            return;
        }
        if (registry_.find(fn.name.name)) {
            warning(file, fn.name.range, "W0506", fmt::format("fn '{}' shadows the builtin '{}'", fn.name.name,
                                                              fn.name.name),
                    "calls of this name now call the fn; rename it to keep the builtin");
        }
        FnInfo info;
        info.decl = &fn;
        info.file = file;
        std::set<std::string> seen;
        for (const ast::FnParam& param : fn.params) {
            if (!seen.insert(param.name.name).second) {
                error(file, param.name.range, "E0208",
                      fmt::format("fn '{}' has two parameters named '{}'", fn.name.name, param.name.name));
            }
            info.param_types.push_back(Type::from_ast(param.type));
        }
        out_.fns.push_back(std::move(info));
    }

    void add_stage(const ast::Stage& stage, const ProgramFile* file) {
        auto [it, inserted] = stage_index_.emplace(stage.name.name, out_.stages.size());
        if (!inserted) {
            const StageInfo& first = out_.stages[it->second];
            error(file, stage.name.range, "E0206", fmt::format("stage '{}' is already defined", stage.name.name),
                  fmt::format("first defined at {}", where(first.file, first.decl->name.range)));
            return;
        }
        StageInfo info;
        info.decl = &stage;
        info.file = file;
        info.name = stage.name.name;
        out_.stages.push_back(std::move(info));
    }

    // ---- params from the command line --------------------------------------------------------------------
    void apply_param_settings(const CheckOptions& options) {
        for (const std::string& setting : options.param_settings) {
            auto source = std::make_shared<SourceFile>("-p", setting);
            std::size_t equals = setting.find('=');
            std::string name = setting.substr(0, equals);
            auto name_range = SourceRange{0, static_cast<std::uint32_t>(name.size())};
            if (equals == std::string::npos || name.empty()) {
                diagnostics_.push_back(Diagnostic{source, {0, static_cast<std::uint32_t>(setting.size())},
                                                  Severity::error, "E0211", "expected -p NAME=VALUE", ""});
                continue;
            }
            auto it = value_index_.find(name);
            if (it == value_index_.end() || out_.values[it->second].kind != ValueKind::param) {
                std::vector<std::string_view> params;
                for (const GlobalValue& value : out_.values) {
                    if (value.kind == ValueKind::param) {
                        params.push_back(value.name);
                    }
                }
                diagnostics_.push_back(Diagnostic{source, name_range, Severity::error, "E0211",
                                                  fmt::format("no param '{}' is declared", name),
                                                  did_you_mean(closest_name(name, params))});
                continue;
            }
            GlobalValue& param = out_.values[it->second];
            std::string text = setting.substr(equals + 1);
            auto value_range = SourceRange{static_cast<std::uint32_t>(equals + 1),
                                           static_cast<std::uint32_t>(setting.size())};
            if (param.type.kind == Type::str) {
                // A str param takes the text as it is, so that nobody has to quote it twice in a shell.
                param.given = ast::Expr{ast::StringLit{{text}}, value_range};
                continue;
            }
            auto value_source = std::make_shared<SourceFile>("-p", setting);
            ExpressionResult parsed = parse_expression(std::make_shared<SourceFile>("-p " + name, text));
            if (!parsed.expr) {
                for (Diagnostic& diagnostic : parsed.diagnostics) {
                    diagnostic.code = "E0309";
                    diagnostic.message = fmt::format("the value of param '{}' is not a {}: {}", name,
                                                     to_string(param.type), diagnostic.message);
                    diagnostics_.push_back(std::move(diagnostic));
                }
                continue;
            }
            if (const ast::Expr* fraction = first_fraction(*parsed.expr)) {
                SourceRange at{value_range.begin + fraction->range.begin, value_range.begin + fraction->range.end};
                diagnostics_.push_back(Diagnostic{
                    value_source, at, Severity::error, "E0314",
                    fmt::format("the value of param '{}' is not a {}: {}", name, to_string(param.type), fraction_message),
                    fraction_hint(std::get<ast::DecimalLit>(fraction->node).text, &param.type)});
                continue;
            }
            Type given = literal_type(*parsed.expr);
            if (given.kind == Type::unknown || !fits(given, param.type)) {
                diagnostics_.push_back(Diagnostic{
                    value_source, value_range, Severity::error, "E0309",
                    fmt::format("param '{}' is a {}, but the value given is {}", name, to_string(param.type),
                                given.kind == Type::unknown ? "not a literal" : "a " + to_string(given)),
                    param.type.kind == Type::list ? "a list is written [\"a\", \"b\"]" : ""});
                continue;
            }
            param.given = std::move(*parsed.expr);
        }
    }

    /// The first number with a fraction in a value written on the command line (`[3.11, 3.12]`).
    static const ast::Expr* first_fraction(const ast::Expr& expr) {
        if (std::holds_alternative<ast::DecimalLit>(expr.node)) {
            return &expr;
        }
        if (const auto* list = std::get_if<ast::ListExpr>(&expr.node)) {
            for (const ast::Expr& item : list->items) {
                if (const ast::Expr* found = first_fraction(item)) {
                    return found;
                }
            }
        }
        return nullptr;
    }

    /// The type of a constant written on the command line; unknown for anything that is not a literal.
    static Type literal_type(const ast::Expr& expr) {
        return std::visit(overloaded{
                              [](const ast::StringLit& s) {
                                  for (const ast::StringPart& part : s.parts) {
                                      if (std::holds_alternative<ast::Box<ast::Expr>>(part)) {
                                          return Type{};
                                      }
                                  }
                                  return Type::of(Type::str);
                              },
                              [](const ast::IntLit&) { return Type::of(Type::int_); },
                              [](const ast::BoolLit&) { return Type::of(Type::bool_); },
                              [](const ast::DurationLit&) { return Type::of(Type::duration); },
                              [](const ast::PercentLit&) { return Type::of(Type::percent); },
                              [](const ast::RefPattern&) { return Type::of(Type::cond); },
                              [](const ast::ListExpr& list) {
                                  Type element;
                                  for (const ast::Expr& item : list.items) {
                                      Type item_type = literal_type(item);
                                      if (item_type.kind == Type::unknown ||
                                          (element.kind != Type::unknown && !fits(item_type, element))) {
                                          return Type{};
                                      }
                                      element = item_type;
                                  }
                                  return Type::list_of(element);
                              },
                              [](const auto&) { return Type{}; },
                          },
                          expr.node);
    }

    // ---- global values ---------------------------------------------------------------------------------
    const Type& type_global(std::size_t index) {
        GlobalValue& value = out_.values[index];
        if (value_state_[index] == 2) {
            return value.type;
        }
        if (value_state_[index] == 1) {
            error(value.file, value.name_range, "E0221",
                  fmt::format("the value of {} '{}' depends on itself", value_kind_name(value.kind), value.name));
            value.type = Type{};
            return value.type;
        }
        value_state_[index] = 1;
        const ast::Expr* expr = value.value;
        if (value.kind == ValueKind::let) {
            Scope scope;
            Owner owner{std::nullopt, std::nullopt, value.file};
            Type actual = type_of(*expr, scope, owner, &value.type);
            if (value.type.kind != Type::unknown) {
                expect(actual, value.type, value.file, expr->range, fmt::format("let '{}'", value.name));
            } else {
                no_value_check(actual, *expr, value.name, value.file);
                value.type = actual;
            }
        } else if (value.kind == ValueKind::param && expr) {
            Scope scope;
            Owner owner{std::nullopt, std::nullopt, value.file};
            Type actual = type_of(*expr, scope, owner, &value.type);
            expect(actual, value.type, value.file, expr->range, fmt::format("the default of param '{}'", value.name));
        }
        value_state_[index] = 2;
        return value.type;
    }

    /// A let without a type, of a call that only does something (sh, publish, a fn's steps), would bind
    /// nothing.
    void no_value_check(const Type& type, const ast::Expr& value, const std::string& name, const ProgramFile* file) {
        const auto* call = std::get_if<ast::Call>(&value.node);
        if (type.kind == Type::none && call) {
            // The REPL binds a typed expression to a name no one can write: it is not named then.
            std::string bound = name.starts_with('(') ? "" : fmt::format(", so let '{}' would hold nothing", name);
            error(file, value.range, "E0312",
                  fmt::format("'{}' gives no value{}: it is a step, to be called in a stage on its own",
                              call->callee.name, bound));
        }
    }

    bool expect(const Type& actual, const Type& expected, const ProgramFile* file, SourceRange range,
                const std::string& what) {
        if (fits_words(actual, expected)) {
            return true;
        }
        error(file, range, "E0301",
              fmt::format("{} expects {}, found {}", what, to_string(expected), to_string(actual)));
        return false;
    }

    // ---- expressions -----------------------------------------------------------------------------------
    /// `expected`, when known, is the type the place of `expr` wants; it only shapes hints.
    Type type_of(const ast::Expr& expr, Scope& scope, const Owner& owner, const Type* expected = nullptr) {
        Type type = compute_type(expr, scope, owner, expected);
        if (!quiet_) {
            out_.types.emplace_back(&expr, type);
        }
        return type;
    }

    Type compute_type(const ast::Expr& expr, Scope& scope, const Owner& owner, const Type* expected) {
        const ProgramFile* file = owner.file;
        return std::visit(
            overloaded{
                [&](const ast::StringLit& s) {
                    for (const ast::StringPart& part : s.parts) {
                        if (const auto* inner = std::get_if<ast::Box<ast::Expr>>(&part)) {
                            Type part_type = type_of(**inner, scope, owner);
                            if (!interpolates(part_type)) {
                                error(file, (*inner)->range, "E0305",
                                      part_type.kind == Type::none
                                          ? std::string("this gives no value to put into a string")
                                          : fmt::format("{} cannot be put into a string", with_article(part_type)),
                                      instead_of_interpolating(part_type));
                            }
                        }
                    }
                    return Type::of(Type::str);
                },
                [&](const ast::IntLit&) { return Type::of(Type::int_); },
                [&](const ast::BoolLit&) { return Type::of(Type::bool_); },
                [&](const ast::DurationLit&) { return Type::of(Type::duration); },
                [&](const ast::PercentLit& p) {
                    if (p.value > 100) {
                        error(file, expr.range, "E0310", fmt::format("{} is more than 100%", p.text));
                    }
                    return Type::of(Type::percent);
                },
                [&](const ast::DecimalLit& d) {
                    error(file, expr.range, "E0314", fraction_message, fraction_hint(d.text, expected));
                    return Type{}; // said once here; the place it stands in says nothing more of it
                },
                [&](const ast::RefPattern&) { return Type::of(Type::cond); },
                [&](const ast::Name& name) { return type_of_name(name.ident, scope, owner); },
                [&](const ast::Member& member) { return type_of_member(member, expr.range, owner); },
                [&](const ast::Call& call) { return check_call(call, expr.range, scope, owner, false); },
                [&](const ast::ListExpr& list) {
                    Type element;
                    const Type* expected_item =
                        expected && expected->kind == Type::list ? &expected->element_type() : nullptr;
                    for (const ast::Expr& item : list.items) {
                        Type item_type = type_of(item, scope, owner, expected_item);
                        if (element.kind == Type::unknown) {
                            element = item_type;
                        } else if (!fits(item_type, element)) {
                            if (fits(element, item_type)) {
                                element = item_type; // artifact<wheel> then artifact<wheel|sdist>: widen
                            } else if (are_words(element, item_type)) {
                                element = Type::of(Type::str); // ["ls", wheel]: words of a command line
                            } else if (item_type.kind != Type::unknown) {
                                bool nested = item_type.kind == Type::list &&
                                              (fits(item_type.element_type(), element) ||
                                               are_words(item_type.element_type(), element));
                                error(file, item.range, "E0308",
                                      fmt::format("the items of a list have one type: this is {}, the first is {}",
                                                  to_string(item_type), to_string(element)),
                                      nested ? fmt::format("to add the items of a list, join the lists with +: "
                                                           "[...] + {}",
                                                           source_text(file, item.range))
                                             : "");
                            }
                        }
                    }
                    return Type::list_of(element);
                },
                [&](const ast::RecordExpr& record) {
                    std::set<std::string> keys;
                    for (const ast::RecordEntry& entry : record.entries) {
                        if (!keys.insert(entry.key.name).second) {
                            error(file, entry.key.range, "E0222",
                                  fmt::format("the key '{}' is already in this record", entry.key.name));
                        }
                        type_of(*entry.value, scope, owner);
                    }
                    return Type::of(Type::record);
                },
                [&](const ast::Infix& infix) { return type_of_infix(infix, scope, owner); },
                [&](const ast::Not& negation) {
                    Type operand = type_of(*negation.operand, scope, owner);
                    if (!is_condition(operand)) {
                        error(file, negation.operand->range, "E0307",
                              fmt::format("'not' needs a cond or bool, found {}", to_string(operand)));
                        return Type::of(Type::cond);
                    }
                    return operand.kind == Type::unknown ? Type::of(Type::cond) : operand;
                },
            },
            expr.node);
    }

    static bool is_condition(const Type& type) {
        return type.kind == Type::cond || type.kind == Type::bool_ || type.kind == Type::unknown;
    }

    /// The type of an operator chain, left to right as its operators associate.
    Type type_of_infix(const ast::Infix& infix, Scope& scope, const Owner& owner) {
        const ProgramFile* file = owner.file;
        static constexpr const char* op_names[] = {"or", "|", "and", "==", "!=", "+"};
        const std::vector<ast::Expr>& operands = infix.operands;
        switch (infix.ops.front()) {
        case ast::BinaryOp::or_:
        case ast::BinaryOp::pipe:
        case ast::BinaryOp::and_: {
            bool all_bool = true;
            for (std::size_t i = 0; i < operands.size(); ++i) {
                Type type = type_of(operands[i], scope, owner);
                if (!is_condition(type)) {
                    const char* op = op_names[static_cast<int>(infix.ops[i == 0 ? 0 : i - 1])];
                    error(file, operands[i].range, "E0307",
                          fmt::format("'{}' joins conditions (cond or bool), found {}", op, to_string(type)),
                          type.kind == Type::str ? "compare strings with ==, like ref() == \"develop\"" : "");
                }
                all_bool = all_bool && type.kind == Type::bool_;
            }
            return all_bool ? Type::of(Type::bool_) : Type::of(Type::cond);
        }
        case ast::BinaryOp::equal:
        case ast::BinaryOp::not_equal: {
            Type lhs = type_of(operands[0], scope, owner);
            Type rhs = type_of(operands[1], scope, owner);
            if (!fits(lhs, rhs) && !fits(rhs, lhs)) {
                error(file, SourceRange{operands[0].range.begin, operands[1].range.end}, "E0307",
                      fmt::format("'{}' compares two values of one type, found {} and {}",
                                  op_names[static_cast<int>(infix.ops.front())], to_string(lhs), to_string(rhs)));
            }
            return Type::of(Type::bool_);
        }
        case ast::BinaryOp::plus: {
            Type sum = type_of(operands[0], scope, owner);
            for (std::size_t i = 1; i < operands.size(); ++i) {
                sum = type_of_plus(sum, type_of(operands[i], scope, owner),
                                   SourceRange{operands[0].range.begin, operands[i].range.end}, file);
            }
            return sum;
        }
        }
        return Type{};
    }

    Type type_of_plus(const Type& lhs, const Type& rhs, SourceRange range, const ProgramFile* file) {
        if (lhs.kind == Type::unknown || rhs.kind == Type::unknown) {
            return lhs.kind == Type::unknown ? rhs : lhs;
        }
        if (lhs.kind == Type::str && rhs.kind == Type::str) {
            return lhs;
        }
        if (lhs.kind == Type::list && rhs.kind == Type::list && (fits(lhs, rhs) || fits(rhs, lhs))) {
            return fits(lhs, rhs) ? rhs : lhs;
        }
        if (lhs.kind == Type::list && rhs.kind == Type::list &&
            are_words(lhs.element_type(), rhs.element_type())) {
            return Type::list_of(Type::of(Type::str)); // ["ls"] + test.report: words of a command line
        }
        error(file, range, "E0307",
              fmt::format("'+' joins two str or two lists of one type, found {} and {}", to_string(lhs), to_string(rhs)),
              lhs.kind == Type::str || rhs.kind == Type::str ? "put other values into a string with \"${...}\"" : "");
        return Type{};
    }

    std::vector<std::string_view> visible_names(Scope& scope, const Owner& owner) const {
        std::vector<std::string_view> names;
        for (Scope* s = &scope; s; s = s->parent) {
            for (const Local& local : s->locals) {
                names.push_back(local.name);
            }
        }
        if (owner.stage) {
            for (const auto& [name, info] : out_.stages[*owner.stage].artifacts) {
                names.push_back(name);
            }
        }
        for (const GlobalValue& value : out_.values) {
            names.push_back(value.name);
        }
        return names;
    }

    Type type_of_name(const ast::Ident& ident, Scope& scope, const Owner& owner) {
        if (Local* local = scope.find(ident.name)) {
            local->used = true;
            return local->type;
        }
        if (owner.stage) {
            const auto& artifacts = out_.stages[*owner.stage].artifacts;
            if (auto it = artifacts.find(ident.name); it != artifacts.end()) {
                if (!quiet_) {
                    artifact_used_[*owner.stage].insert(ident.name);
                    if (!made_artifacts_.count(ident.name)) {
                        error(owner.file, ident.range, "E0224",
                              fmt::format("artifact '{}' is used before the step that makes it", ident.name),
                              fmt::format("made at {}", where(owner.file, it->second.name_range)));
                    }
                }
                return it->second.type;
            }
        }
        if (auto it = value_index_.find(ident.name); it != value_index_.end()) {
            if (!quiet_) {
                value_used_[it->second] = true;
            }
            return type_global(it->second);
        }
        if (stage_index_.count(ident.name)) {
            std::string pattern = ref_pattern_hint(ident.name);
            error(owner.file, ident.range, "E0218", fmt::format("stage '{}' is not a value", ident.name),
                  fmt::format("use one of its artifacts, like {}.NAME, or list it in 'needs'{}", ident.name,
                              pattern.empty() ? "" : "; " + pattern));
            return Type{};
        }
        if (quiet_) {
            return Type{}; // the loud pass reports it, with its suggestions
        }
        if (fn_index_.count(ident.name) || registry_.find(ident.name)) {
            error(owner.file, ident.range, "E0218", fmt::format("'{}' is a function, not a value", ident.name),
                  fmt::format("call it: {}(...)", ident.name));
            return Type{};
        }
        std::string pattern = ref_pattern_hint(ident.name);
        error(owner.file, ident.range, "E0201", fmt::format("unknown name '{}'", ident.name),
              !pattern.empty() ? pattern : did_you_mean(closest_name(ident.name, visible_names(scope, owner))));
        return Type{};
    }

    std::vector<std::string_view> stage_names() const {
        std::vector<std::string_view> names;
        for (const StageInfo& stage : out_.stages) {
            names.push_back(stage.name);
        }
        return names;
    }

    Type type_of_member(const ast::Member& member, SourceRange range, const Owner& owner) {
        auto it = stage_index_.find(member.object.name);
        if (it == stage_index_.end()) {
            if (auto value = value_index_.find(member.object.name); value != value_index_.end()) {
                if (!quiet_) {
                    value_used_[value->second] = true;
                }
                error(owner.file, member.object.range, "E0311",
                      fmt::format("'{}' is not a stage: only stages have members (their artifacts)",
                                  member.object.name));
            } else {
                error(owner.file, member.object.range, "E0202", fmt::format("unknown stage '{}'", member.object.name),
                      did_you_mean(closest_name(member.object.name, stage_names())));
            }
            return Type{};
        }
        std::size_t target = it->second;
        const StageInfo& stage = out_.stages[target];
        if (owner.stage && *owner.stage == target) {
            if (!quiet_) {
                artifact_used_[target].insert(member.member.name);
            }
            error(owner.file, range, "E0402",
                  fmt::format("stage '{}' refers to its own artifact as {}.{}", stage.name, stage.name,
                              member.member.name),
                  fmt::format("inside the stage, write '{}'", member.member.name));
            return Type{};
        }
        if (!owner.stage && !owner.fn) {
            error(owner.file, range, "E0223",
                  fmt::format("the artifacts of stage '{}' can be used only inside stages and fns", stage.name));
            return Type{};
        }
        auto artifact = stage.artifacts.find(member.member.name);
        if (artifact == stage.artifacts.end()) {
            if (!quiet_) {
                std::vector<std::string_view> names;
                for (const auto& [name, info] : stage.artifacts) {
                    names.push_back(name);
                }
                error(owner.file, member.member.range, "E0203",
                      fmt::format("stage '{}' has no artifact '{}'", stage.name, member.member.name),
                      did_you_mean(closest_name(member.member.name, names)));
            }
            return Type{};
        }
        if (!quiet_) {
            artifact_used_[target].insert(member.member.name);
            NeedRef need{target, range, owner.file};
            if (owner.stage) {
                needs_[*owner.stage].push_back(need);
            } else {
                fn_stage_refs_[*owner.fn].push_back(need);
            }
        }
        Type type = artifact->second.type;
        return stage.decl && has_matrix(*stage.decl) ? Type::list_of(type) : type;
    }

    static bool has_matrix(const ast::Stage& stage) {
        return std::any_of(stage.clauses.begin(), stage.clauses.end(), [](const ast::Clause& clause) {
            return std::holds_alternative<ast::MatrixClause>(clause.node);
        });
    }

    // ---- calls -----------------------------------------------------------------------------------------
    Type check_call(const ast::Call& call, SourceRange range, Scope& scope, const Owner& owner, bool has_block) {
        const ProgramFile* file = owner.file;
        if (auto it = fn_index_.find(call.callee.name); it != fn_index_.end()) {
            return check_fn_call(call, it->second, scope, owner, has_block);
        }
        const stdlib::Builtin* builtin = registry_.find(call.callee.name);
        if (!builtin) {
            std::vector<std::string_view> names;
            for (const stdlib::Builtin& b : registry_.all()) {
                names.push_back(b.name);
            }
            for (const FnInfo& fn : out_.fns) {
                names.push_back(fn.decl->name.name);
            }
            error(file, call.callee.range, "E0204", fmt::format("unknown function '{}'", call.callee.name),
                  did_you_mean(closest_name(call.callee.name, names)));
            for (const ast::Arg& arg : call.args) {
                if (!std::holds_alternative<ast::Name>(arg.value->node)) {
                    type_of(*arg.value, scope, owner);
                }
            }
            return Type{};
        }
        if (!quiet_) {
            out_.callees[&call] = Callee{builtin, nullptr};
        }
        std::size_t count = builtin->params.size();
        stdlib::CallSite site{std::vector<const ast::Expr*>(count), std::vector<Type>(count),
                              std::vector<std::string>(count)};
        std::size_t position = 0;
        bool unknown_label = false;
        bool argument_error = false;
        for (const ast::Arg& arg : call.args) {
            std::size_t index;
            if (arg.label) {
                int found = builtin->param_index(arg.label->name);
                if (found < 0) {
                    std::vector<std::string_view> names;
                    for (const stdlib::Param& p : builtin->params) {
                        names.push_back(p.name);
                    }
                    std::string closest = closest_name(arg.label->name, names);
                    unknown_label = true;
                    error(file, arg.label->range, "E0205",
                          fmt::format("'{}' has no argument '{}'", builtin->name, arg.label->name),
                          closest.empty() ? builtin->signature() : did_you_mean(closest));
                    // A bare word after a misspelt label is most likely an enum value: say nothing more of it.
                    if (!std::holds_alternative<ast::Name>(arg.value->node)) {
                        type_of(*arg.value, scope, owner);
                    }
                    continue;
                }
                index = static_cast<std::size_t>(found);
            } else {
                if (position >= count) {
                    error(file, arg.value->range, "E0212",
                          fmt::format("'{}' takes {} argument{}, this is one more", builtin->name, count,
                                      count == 1 ? "" : "s"),
                          builtin->signature());
                    type_of(*arg.value, scope, owner);
                    continue;
                }
                index = position++;
            }
            const stdlib::Param& param = builtin->params[index];
            if (site.args[index]) {
                error(file, arg.label ? arg.label->range : arg.value->range, "E0213",
                      fmt::format("the argument '{}' of '{}' is given twice", param.name, builtin->name));
                continue;
            }
            site.args[index] = &*arg.value;
            if (!param.words.empty()) {
                site.words[index] = check_enum_word(*arg.value, param, *builtin, owner);
                argument_error = argument_error || site.words[index].empty();
                continue;
            }
            Type wanted = param.accepts.size() == 1 ? param.accepts.front() : Type{};
            for (const Type& t : param.accepts) {
                if (t.kind == Type::str) {
                    wanted = t;
                }
            }
            Type actual = param.name == "env" && std::holds_alternative<ast::RecordExpr>(arg.value->node)
                              ? check_environment(*arg.value, scope, owner)
                              : type_of(*arg.value, scope, owner, &wanted);
            site.types[index] = actual;
            bool accepted = std::any_of(param.accepts.begin(), param.accepts.end(),
                                        [&](const Type& t) { return fits_words(actual, t); });
            if (!accepted) {
                argument_error = true;
                std::vector<std::string> expected;
                for (const Type& t : param.accepts) {
                    expected.push_back(to_string(t));
                }
                error(file, arg.value->range, "E0301",
                      fmt::format("the argument '{}' of '{}' expects {}, found {}", param.name, builtin->name,
                                  joined_words(expected), to_string(actual)),
                      environment_hint(param, *builtin, actual));
            }
        }
        // A misspelt label usually names the missing argument: one error says it.
        for (std::size_t i = 0; i < count && !unknown_label; ++i) {
            if (builtin->params[i].required && !site.args[i]) {
                error(file, call.callee.range, "E0210",
                      fmt::format("'{}' needs the argument '{}'", builtin->name, builtin->params[i].name),
                      builtin->signature());
            }
        }
        if (builtin->block == stdlib::BlockUse::required && !has_block) {
            error(file, range, "E0217", fmt::format("'{}' needs a block of steps", builtin->name),
                  fmt::format("{}(...) {{ sh(\"...\") }}", builtin->name));
        } else if (builtin->block == stdlib::BlockUse::none && has_block) {
            error(file, call.callee.range, "E0217", fmt::format("'{}' takes no block of steps", builtin->name));
        }
        if ((builtin->name == "file" || builtin->name == "dir") && site.args[0]) {
            warn_if_outside_repository(*site.args[0], builtin->name, file);
        }
        if (builtin->validate && !argument_error && !unknown_label) {
            for (stdlib::CallProblem& problem : builtin->validate(site)) {
                SourceRange at = problem.param == stdlib::CallProblem::whole_call || !site.args[problem.param]
                                     ? call.callee.range
                                     : site.args[problem.param]->range;
                error(file, at, problem.code, std::move(problem.message), std::move(problem.hint));
            }
        }
        return builtin->result ? builtin->result(site) : Type::of(Type::none);
    }

    /// W0507: file() or dir() of a literal path that is absolute, goes up out of the pipeline's folder with
    /// `..`, or leads out of the
    /// pipeline's folder through a symbolic link. An absolute path is read as written (the pipeline says
    /// so); a relative one that leaves the folder is an error when the stage runs.
    void warn_if_outside_repository(const ast::Expr& arg, const std::string& builtin, const ProgramFile* file) {
        const auto* literal = std::get_if<ast::StringLit>(&arg.node);
        if (!literal || literal->parts.size() != 1 || !std::holds_alternative<std::string>(literal->parts[0])) {
            return;
        }
        namespace fs = std::filesystem;
        const std::string& text = std::get<std::string>(literal->parts[0]);
        fs::path path(text);
        std::string why;
        if (path.is_absolute()) {
            why = "an absolute path, which chain reads as written";
        } else if (fs::path normal = path.lexically_normal(); !normal.empty() && *normal.begin() == "..") {
            why = "'..' leads out of it, which is an error when the stage runs";
        } else if (file && file->source) {
            std::error_code error;
            fs::path folder = fs::weakly_canonical(fs::absolute(file->source->name()).parent_path(), error);
            fs::path resolved = fs::weakly_canonical(folder / path, error);
            fs::path relative = resolved.lexically_relative(folder);
            if (!error && (relative.empty() || *relative.begin() == "..")) {
                why = fmt::format("a symbolic link leads it to {}, which is an error when the stage runs",
                                  resolved.string());
            }
        }
        if (!why.empty()) {
            warning(file, arg.range, "W0507", fmt::format("{}(\"{}\") takes a path outside the repository: {}", builtin,
                                                          text, why),
                    "an artifact is what the stage's steps made in the repository: make or copy it there");
        }
    }

    std::string check_enum_word(const ast::Expr& arg, const stdlib::Param& param, const stdlib::Builtin& builtin,
                                const Owner& owner) {
        const auto* name = std::get_if<ast::Name>(&arg.node);
        if (name && std::find(param.words.begin(), param.words.end(), name->ident.name) != param.words.end()) {
            if (!quiet_) {
                out_.types.emplace_back(&arg, Type::of(Type::str));
            }
            return name->ident.name;
        }
        std::vector<std::string_view> words(param.words.begin(), param.words.end());
        std::string closest = name ? closest_name(name->ident.name, words) : std::string();
        error(owner.file, arg.range, "E0303",
              name ? fmt::format("'{}' is not a {} of '{}'; expected {}", name->ident.name, param.name, builtin.name,
                                 joined_words(param.words))
                   : fmt::format("the argument '{}' of '{}' is one of the words {}", param.name, builtin.name,
                                 joined_words(param.words)),
              closest.empty() ? (name ? "" : fmt::format("write it bare: {}: {}", param.name, param.words[0]))
                              : did_you_mean(closest));
        return "";
    }

    Type check_fn_call(const ast::Call& call, std::size_t fn_index, Scope& scope, const Owner& owner, bool has_block) {
        const FnInfo& fn = out_.fns[fn_index];
        const ProgramFile* file = owner.file;
        if (!quiet_) {
            fn_used_[fn_index] = true;
            out_.callees[&call] = Callee{nullptr, &fn};
            if (owner.fn) {
                fn_calls_[*owner.fn].insert(fn_index);
            }
        }
        std::string signature = fn.decl->name.name + "(";
        for (std::size_t i = 0; i < fn.decl->params.size(); ++i) {
            signature += (i ? ", " : "") + fn.decl->params[i].name.name + ": " + to_string(fn.param_types[i]);
        }
        signature += ")";
        std::vector<bool> given(fn.decl->params.size());
        std::size_t position = 0;
        bool unknown_label = false;
        for (const ast::Arg& arg : call.args) {
            Type actual = type_of(*arg.value, scope, owner);
            std::size_t index = 0;
            if (arg.label) {
                auto& params = fn.decl->params;
                auto found = std::find_if(params.begin(), params.end(),
                                          [&](const ast::FnParam& p) { return p.name.name == arg.label->name; });
                if (found == params.end()) {
                    std::vector<std::string_view> names;
                    for (const ast::FnParam& p : params) {
                        names.push_back(p.name.name);
                    }
                    std::string closest = closest_name(arg.label->name, names);
                    unknown_label = true;
                    error(file, arg.label->range, "E0205",
                          fmt::format("fn '{}' has no parameter '{}'", fn.decl->name.name, arg.label->name),
                          closest.empty() ? signature : did_you_mean(closest));
                    continue;
                }
                index = static_cast<std::size_t>(found - params.begin());
            } else {
                if (position >= given.size()) {
                    error(file, arg.value->range, "E0212",
                          fmt::format("fn '{}' takes {} argument{}, this is one more", fn.decl->name.name,
                                      given.size(), given.size() == 1 ? "" : "s"),
                          signature);
                    continue;
                }
                index = position++;
            }
            if (given[index]) {
                error(file, arg.label ? arg.label->range : arg.value->range, "E0213",
                      fmt::format("the argument '{}' of fn '{}' is given twice", fn.decl->params[index].name.name,
                                  fn.decl->name.name));
                continue;
            }
            given[index] = true;
            expect(actual, fn.param_types[index], file, arg.value->range,
                   fmt::format("the parameter '{}' of fn '{}'", fn.decl->params[index].name.name, fn.decl->name.name));
        }
        for (std::size_t i = 0; i < given.size() && !unknown_label; ++i) {
            if (!given[i]) {
                error(file, call.callee.range, "E0210",
                      fmt::format("fn '{}' needs the argument '{}'", fn.decl->name.name, fn.decl->params[i].name.name),
                      signature);
            }
        }
        if (has_block) {
            error(file, call.callee.range, "E0217", fmt::format("fn '{}' takes no block of steps", fn.decl->name.name));
        }
        if (owner.stage) {
            // The fn's body expands into the stage: its artifacts and the stages it uses become the stage's.
            for (const auto& [name, type] : fn.artifacts) {
                add_artifact(*owner.stage, name, type, call.callee.range, owner.file);
            }
            if (!quiet_) {
                for (const NeedRef& need : fn_stage_refs_[fn_index]) {
                    needs_[*owner.stage].push_back(NeedRef{need.stage, call.callee.range, owner.file});
                }
            }
        }
        return Type::of(Type::none);
    }

    // ---- statements --------------------------------------------------------------------------------------
    /// The first, quiet pass: only the artifacts a body names, and those its fn calls bring.
    void collect_artifacts(const ast::Block& block, const Owner& owner) {
        Scope scope;
        for (const ast::Stmt& stmt : block.stmts) {
            if (const auto* artifact = std::get_if<ast::ArtifactStmt>(&stmt.node)) {
                Type type = type_of(artifact->value, scope, owner);
                if (type.kind != Type::artifact) {
                    type = Type{};
                }
                if (owner.stage) {
                    add_artifact(*owner.stage, artifact->name.name, type, artifact->name.range, owner.file);
                } else {
                    out_.fns[*owner.fn].artifacts[artifact->name.name] = type;
                }
            } else if (const auto* when = std::get_if<ast::WhenStmt>(&stmt.node)) {
                collect_artifacts(when->then_block, owner);
                if (when->else_block) {
                    collect_artifacts(*when->else_block, owner);
                }
            } else if (const auto* call_stmt = std::get_if<ast::CallStmt>(&stmt.node)) {
                const auto& call = std::get<ast::Call>(call_stmt->call.node);
                auto fn = fn_index_.find(call.callee.name);
                if (fn != fn_index_.end() && owner.stage) {
                    for (const auto& [name, type] : out_.fns[fn->second].artifacts) {
                        add_artifact(*owner.stage, name, type, call.callee.range, owner.file);
                    }
                }
                if (call_stmt->block) {
                    collect_artifacts(*call_stmt->block, owner);
                }
            }
        }
    }

    void check_block(const ast::Block& block, Scope& parent, const Owner& owner) {
        Scope scope{&parent, {}};
        for (const ast::Stmt& stmt : block.stmts) {
            check_stmt(stmt, scope, owner);
        }
        retire(scope);
    }

    void retire(Scope& scope) {
        if (!quiet_) {
            for (Local& local : scope.locals) {
                finished_locals_.push_back(std::move(local));
            }
        }
    }

    void bind_local(Scope& scope, Local local, const ProgramFile* file) {
        for (const Local& existing : scope.locals) {
            if (existing.name == local.name) {
                error(file, local.range, "E0208",
                      fmt::format("'{}' is already defined in this block as a {}", local.name, existing.what));
                return;
            }
        }
        if (scope.parent && scope.parent->find(local.name)) {
            warning(file, local.range, "W0506",
                    fmt::format("{} '{}' shadows the {} of the same name", local.what, local.name,
                                scope.parent->find(local.name)->what));
        } else if (auto it = value_index_.find(local.name); it != value_index_.end()) {
            warning(file, local.range, "W0506",
                    fmt::format("{} '{}' shadows the {} of the same name", local.what, local.name,
                                value_kind_name(out_.values[it->second].kind)));
        }
        local.file = file;
        scope.locals.push_back(std::move(local));
    }

    void add_artifact(std::size_t stage, const std::string& name, Type type, SourceRange range,
                      const ProgramFile* file) {
        made_artifacts_.insert(name);
        auto& artifacts = out_.stages[stage].artifacts;
        auto [it, inserted] = artifacts.emplace(name, ArtifactInfo{type, range});
        if (!inserted) {
            if (!quiet_ && it->second.name_range != range) {
                error(file, range, "E0207",
                      fmt::format("stage '{}' already has an artifact '{}'", out_.stages[stage].name, name),
                      fmt::format("first named at {}", where(file, it->second.name_range)));
            }
            it->second.type = type;
        }
    }

    void check_stmt(const ast::Stmt& stmt, Scope& scope, const Owner& owner) {
        const ProgramFile* file = owner.file;
        std::visit(overloaded{
                       [&](const ast::ArtifactStmt& artifact) {
                           Type type = type_of(artifact.value, scope, owner);
                           if (type.kind != Type::artifact && type.kind != Type::unknown) {
                               error(file, artifact.value.range, "E0301",
                                     fmt::format("artifact '{}' must be an artifact, found {}", artifact.name.name,
                                                 to_string(type)),
                                     "take files the steps made with file(\"PATH\") or dir(\"PATH\")");
                               type = Type{};
                           }
                           if (owner.stage) {
                               add_artifact(*owner.stage, artifact.name.name, type, artifact.name.range, file);
                           } else if (owner.fn) {
                               out_.fns[*owner.fn].artifacts[artifact.name.name] = type;
                               bind_local(scope, Local{artifact.name.name, type, artifact.name.range, "artifact"},
                                          file);
                               scope.locals.back().used = true;
                           }
                       },
                       [&](const ast::Let& let) {
                           std::optional<Type> declared_type;
                           if (let.type) {
                               declared_type = Type::from_ast(*let.type);
                           }
                           Type type = type_of(let.value, scope, owner, declared_type ? &*declared_type : nullptr);
                           if (!let.type) { // a declared type reports the mismatch itself
                               no_value_check(type, let.value, let.name.name, file);
                           }
                           if (let.type) {
                               Type declared = Type::from_ast(*let.type);
                               expect(type, declared, file, let.value.range, fmt::format("let '{}'", let.name.name));
                               type = declared;
                           }
                           bind_local(scope, Local{let.name.name, type, let.name.range, "let"}, file);
                       },
                       [&](const ast::WhenStmt& when) {
                           check_condition(when.condition, scope, owner);
                           check_block(when.then_block, scope, owner);
                           if (when.else_block) {
                               check_block(*when.else_block, scope, owner);
                           }
                       },
                       [&](const ast::CallStmt& call_stmt) {
                           const auto& call = std::get<ast::Call>(call_stmt.call.node);
                           Type result = check_call(call, call_stmt.call.range, scope, owner, call_stmt.block.has_value());
                           if (!quiet_) {
                               out_.types.emplace_back(&call_stmt.call, result);
                           }
                           if (call_stmt.block) {
                               check_block(*call_stmt.block, scope, owner);
                           }
                       },
                   },
                   stmt.node);
    }

    /// A record of environment variables (a stage's env clause, a builtin's env: argument): names a process
    /// environment can hold, each once, with text values. Gives the record's type.
    Type check_environment(const ast::Expr& expr, Scope& scope, const Owner& owner) {
        const auto& record = std::get<ast::RecordExpr>(expr.node);
        std::set<std::string> names;
        for (const ast::RecordEntry& entry : record.entries) {
            const std::string& name = entry.key.name;
            if (!names.insert(name).second) {
                error(owner.file, entry.key.range, "E0222", fmt::format("the variable '{}' is already set here", name));
            } else if (!environment_name(name)) {
                error(owner.file, entry.key.range, "E0229", fmt::format("'{}' is not an environment variable name", name),
                      "a name is letters, digits and '_', not starting with a digit, like PYTHONHASHSEED");
            }
            Type value = type_of(*entry.value, scope, owner);
            if (value.kind != Type::str && value.kind != Type::unknown) {
                error(owner.file, entry.value->range, "E0301",
                      fmt::format("the environment variable '{}' expects str, found {}", name, to_string(value)),
                      has_text_form(value) ? "an environment variable holds text: quote it, or put it in a string as ${...}"
                                           : "");
            }
        }
        Type type = Type::of(Type::record);
        if (!quiet_) {
            out_.types.emplace_back(&expr, type);
        }
        return type;
    }

    static bool environment_name(std::string_view name) {
        auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
        return !name.empty() && letter(name[0]) &&
               std::all_of(name.begin(), name.end(), [&](char c) { return letter(c) || (c >= '0' && c <= '9'); });
    }

    /// A text where a record of variables belongs is most likely `test`'s former tox environment argument.
    static std::string environment_hint(const stdlib::Param& param, const stdlib::Builtin& builtin, const Type& actual) {
        if (param.name != "env" || actual.kind != Type::str) {
            return "";
        }
        std::string hint = "env: is a record of environment variables, like env: { PYTHONHASHSEED: \"0\" }";
        return builtin.param_index("tox_env") >= 0 ? hint + "; the tox environment to run is tox_env:" : hint;
    }

    void check_condition(const ast::Expr& condition, Scope& scope, const Owner& owner) {
        Type type = type_of(condition, scope, owner);
        if (!is_condition(type)) {
            error(owner.file, condition.range, "E0304",
                  fmt::format("'when' needs a cond or bool, found {}", to_string(type)),
                  type.kind == Type::str ? "compare it: ref() == \"develop\", or use a ref pattern like develop" : "");
        }
    }

    // ---- fns and stages ----------------------------------------------------------------------------------
    void check_fn_bodies() {
        for (std::size_t i = 0; i < out_.fns.size(); ++i) {
            const FnInfo& fn = out_.fns[i];
            Scope scope;
            for (std::size_t p = 0; p < fn.decl->params.size(); ++p) {
                if (scope.find(fn.decl->params[p].name.name)) {
                    continue; // reported with the fn's declaration
                }
                bind_local(scope, Local{fn.decl->params[p].name.name, fn.param_types[p], fn.decl->params[p].name.range,
                                        "parameter"},
                           fn.file);
            }
            check_block(fn.decl->body, scope, Owner{std::nullopt, i, fn.file});
            retire(scope);
        }
    }

    void check_stage_bodies() {
        for (std::size_t i = 0; i < out_.stages.size(); ++i) {
            check_stage(i);
        }
    }

    void check_stage(std::size_t index) {
        StageInfo& stage = out_.stages[index];
        made_artifacts_.clear();
        const ProgramFile* file = stage.file;
        Owner owner{index, std::nullopt, file};
        Scope scope;
        std::set<std::string> clause_seen;
        for (const ast::Clause& clause : stage.decl->clauses) {
            std::visit(overloaded{
                           [&](const ast::NeedsClause& needs) {
                               for (const ast::Ident& needed : needs.stages) {
                                   resolve_need(index, needed, file);
                               }
                           },
                           [&](const ast::WhenClause& when) {
                               if (single_clause(clause_seen, "when", clause.range, stage, file)) {
                                   stage.condition = &when.condition;
                               }
                               check_condition(when.condition, scope, owner);
                           },
                           [&](const ast::MatrixClause& matrix) {
                               single_clause(clause_seen, "matrix", clause.range, stage, file);
                               stage.matrix = &matrix;
                               Type values = type_of(matrix.values, scope, owner);
                               Type element;
                               if (values.kind == Type::list) {
                                   element = values.element_type();
                               } else if (values.kind != Type::unknown) {
                                   error(file, matrix.values.range, "E0306",
                                         fmt::format("a matrix runs over a list, found {}", to_string(values)),
                                         fmt::format("like matrix {} in [\"a\", \"b\"]", matrix.variable.name));
                               }
                               bind_local(scope, Local{matrix.variable.name, element, matrix.variable.range,
                                                       "matrix variable"},
                                          file);
                           },
                           [&](const ast::InputsClause& inputs) {
                               stage.inputs.clear();
                               for (const ast::Expr& pattern : inputs.patterns) {
                                   type_of(pattern, scope, owner);
                                   std::string text;
                                   for (const ast::StringPart& part : std::get<ast::StringLit>(pattern.node).parts) {
                                       if (const auto* piece = std::get_if<std::string>(&part)) {
                                           text += *piece;
                                       }
                                   }
                                   stage.inputs.push_back(text);
                               }
                           },
                           [&](const ast::TimeoutClause& timeout) {
                               single_clause(clause_seen, "timeout", clause.range, stage, file);
                               const auto& duration = std::get<ast::DurationLit>(timeout.duration.node);
                               if (duration.milliseconds == 0) {
                                   error(file, timeout.duration.range, "E0310", "a timeout of zero never lets a step run");
                               }
                               stage.timeout_ms = duration.milliseconds;
                           },
                           [&](const ast::RetryClause& retry) {
                               single_clause(clause_seen, "retry", clause.range, stage, file);
                               stage.retries = std::get<ast::IntLit>(retry.count.node).value;
                           },
                           [&](const ast::ManualClause&) {
                               single_clause(clause_seen, "manual", clause.range, stage, file);
                               stage.manual = true;
                           },
                           [&](const ast::EnvClause& env) {
                               if (single_clause(clause_seen, "env", clause.range, stage, file)) {
                                   stage.env = &env.variables;
                               }
                               check_environment(env.variables, scope, owner);
                           },
                           [&](const ast::AllowFailureClause&) {
                               single_clause(clause_seen, "allow_failure", clause.range, stage, file);
                               stage.allow_failure = true;
                           },
                       },
                       clause.node);
        }
        check_block(stage.decl->body, scope, owner);
        retire(scope);
    }

    bool single_clause(std::set<std::string>& seen, const std::string& keyword, SourceRange range,
                       const StageInfo& stage, const ProgramFile* file) {
        if (seen.insert(keyword).second) {
            return true;
        }
        error(file, range, "E0214", fmt::format("stage '{}' has a second '{}' clause", stage.name, keyword),
              keyword == "when"  ? "join the conditions: when a | b"
              : keyword == "env" ? "put every variable in one record: env { A: \"1\", B: \"2\" }"
                                 : "");
        return false;
    }

    void resolve_need(std::size_t index, const ast::Ident& needed, const ProgramFile* file) {
        if (quiet_) {
            return;
        }
        auto it = stage_index_.find(needed.name);
        if (it == stage_index_.end()) {
            error(file, needed.range, "E0202", fmt::format("unknown stage '{}'", needed.name),
                  did_you_mean(closest_name(needed.name, stage_names())));
            return;
        }
        if (it->second == index) {
            error(file, needed.range, "E0402", fmt::format("stage '{}' needs itself", needed.name));
            return;
        }
        needs_[index].push_back(NeedRef{it->second, needed.range, file});
    }

    // ---- fn recursion --------------------------------------------------------------------------------------
    void check_fn_recursion() {
        std::vector<char> state(out_.fns.size(), 0);
        std::vector<std::size_t> path;
        std::function<void(std::size_t)> visit = [&](std::size_t fn) {
            state[fn] = 1;
            path.push_back(fn);
            for (std::size_t callee : fn_calls_[fn]) {
                if (state[callee] == 1) {
                    std::string cycle;
                    for (auto it = std::find(path.begin(), path.end(), callee); it != path.end(); ++it) {
                        cycle += out_.fns[*it].decl->name.name + " -> ";
                    }
                    cycle += out_.fns[callee].decl->name.name;
                    const FnInfo& info = out_.fns[callee];
                    error(info.file, info.decl->name.range, "E0220",
                          fmt::format("fn '{}' calls itself: {}", info.decl->name.name, cycle),
                          "a fn expands inline where it is called, so it cannot recurse");
                } else if (state[callee] == 0) {
                    visit(callee);
                }
            }
            path.pop_back();
            state[fn] = 2;
        };
        for (std::size_t fn = 0; fn < out_.fns.size(); ++fn) {
            if (state[fn] == 0) {
                visit(fn);
            }
        }
    }

    // ---- the needs graph -------------------------------------------------------------------------------------
    void check_graph() {
        for (std::size_t s = 0; s < out_.stages.size(); ++s) {
            std::vector<std::size_t>& resolved = out_.stages[s].needs;
            for (const NeedRef& need : needs_[s]) {
                if (std::find(resolved.begin(), resolved.end(), need.stage) == resolved.end()) {
                    resolved.push_back(need.stage);
                }
            }
        }
        // Depth-first search in source order; an edge to a stage on the current path closes a cycle.
        std::vector<char> state(out_.stages.size(), 0);
        std::vector<std::size_t> path;
        bool cyclic = false;
        for (std::size_t root = 0; root < out_.stages.size(); ++root) {
            if (state[root] != 0) {
                continue;
            }
            std::vector<std::pair<std::size_t, std::size_t>> stack{{root, 0}};
            state[root] = 1;
            path.push_back(root);
            while (!stack.empty()) {
                auto& [stage, next] = stack.back();
                if (next < needs_[stage].size()) {
                    const NeedRef& need = needs_[stage][next++];
                    if (state[need.stage] == 1) {
                        cyclic = true;
                        std::string cycle;
                        for (auto it = std::find(path.begin(), path.end(), need.stage); it != path.end(); ++it) {
                            cycle += out_.stages[*it].name + " -> ";
                        }
                        cycle += out_.stages[need.stage].name;
                        error(need.file, need.range, "E0401", fmt::format("the needs of stages form a cycle: {}", cycle));
                    } else if (state[need.stage] == 0) {
                        state[need.stage] = 1;
                        path.push_back(need.stage);
                        stack.emplace_back(need.stage, 0);
                    }
                } else {
                    state[stage] = 2;
                    out_.stage_order.push_back(stage);
                    path.pop_back();
                    stack.pop_back();
                }
            }
        }
        if (cyclic) {
            out_.stage_order.clear();
        }
    }

    // ---- conditions over refs ------------------------------------------------------------------------------
    void check_conditions() {
        std::vector<const conditions::Formula*> formulas;
        for (StageInfo& stage : out_.stages) {
            if (stage.condition) {
                stage.formula = out_.conditions.build(*stage.condition, stage.file, out_);
                formulas.push_back(stage.formula);
            }
        }
        out_.conditions.find_witnesses(formulas);
        const std::vector<refs::Ref>& witnesses = out_.conditions.witnesses();
        // Nothing is known beyond the formulas: bool params and lets are followed to their values (from -p or
        // as written), and what only running could tell is unknown.
        conditions::Values values{nullptr, conditions::let_depth_limit};
        std::vector<conditions::Truths> runs;
        for (const StageInfo& stage : out_.stages) {
            bool judged = !stage.formula || out_.conditions.judged(stage.formula);
            runs.emplace_back(stage.formula, judged, witnesses, values);
            if (runs.back().never() && stage.condition) {
                warning(stage.file, stage.condition->range, "W0501",
                        fmt::format("stage '{}' runs on no ref: this condition is false on every branch and tag",
                                    stage.name));
            }
        }
        for (std::size_t s = 0; s < out_.stages.size(); ++s) {
            std::set<std::size_t> reported;
            for (const NeedRef& need : needs_[s]) {
                if (!reported.insert(need.stage).second) {
                    continue;
                }
                for (std::size_t w = 0; w < witnesses.size(); ++w) {
                    if (runs[s].certainly(w) && runs[need.stage].certainly_not(w)) {
                        error(need.file, need.range, "E0403",
                              fmt::format("on {}, '{}' runs but '{}', which it needs, does not",
                                          refs::describe(witnesses[w]), out_.stages[s].name,
                                          out_.stages[need.stage].name),
                              fmt::format("run '{}' on {} too, or narrow the condition of '{}'",
                                          out_.stages[need.stage].name, refs::describe(witnesses[w]),
                                          out_.stages[s].name));
                        break;
                    }
                }
            }
        }
    }

    // ---- unused names ----------------------------------------------------------------------------------------
    void report_unused() {
        for (std::size_t i = 0; i < out_.values.size(); ++i) {
            const GlobalValue& value = out_.values[i];
            // A name used only by another file that imports this one still counts as used.
            if (!value_used_[i]) {
                warning(value.file, value.name_range, value.kind == ValueKind::param ? "W0503" : "W0502",
                        fmt::format("{} '{}' is never used", value_kind_name(value.kind), value.name));
            }
        }
        for (std::size_t i = 0; i < out_.fns.size(); ++i) {
            if (!fn_used_[i]) {
                warning(out_.fns[i].file, out_.fns[i].decl->name.range, "W0505",
                        fmt::format("fn '{}' is never called", out_.fns[i].decl->name.name));
            }
        }
        for (std::size_t s = 0; s < out_.stages.size(); ++s) {
            for (const auto& [name, info] : out_.stages[s].artifacts) {
                if (!artifact_used_[s].count(name)) {
                    warning(out_.stages[s].file, info.name_range, "W0504",
                            fmt::format("artifact '{}' of stage '{}' is never used", name, out_.stages[s].name),
                            "publish it, use it in a later step, or refer to it from another stage");
                }
            }
        }
        for (const Local& local : finished_locals_) {
            if (!local.used && std::string_view(local.what) == "let") {
                warning(local.file, local.range, "W0502", fmt::format("let '{}' is never used", local.name));
            }
        }
    }
};

} // namespace

CheckResult check(LoadedProgram loaded, const stdlib::Registry& registry, const CheckOptions& options) {
    CheckResult result;
    result.program.loaded = std::move(loaded);
    result.diagnostics = result.program.loaded.diagnostics;
    if (has_errors(result.diagnostics)) {
        return result;
    }
    Checker checker(result.program, registry);
    std::vector<Diagnostic> found = checker.run(options);
    result.diagnostics.insert(result.diagnostics.end(), found.begin(), found.end());
    // In source order: files in the order they were loaded, then by position.
    std::vector<const SourceFile*> order;
    for (const auto& file : result.program.loaded.files) {
        order.push_back(file->source.get());
    }
    auto file_rank = [&](const Diagnostic& d) {
        auto it = std::find(order.begin(), order.end(), d.source.get());
        return it == order.end() ? -1 : static_cast<int>(it - order.begin());
    };
    std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(), [&](const Diagnostic& a, const Diagnostic& b) {
        int fa = file_rank(a), fb = file_rank(b);
        return fa != fb ? fa < fb : a.range.begin < b.range.begin;
    });
    return result;
}

} // namespace chain
