// Calls: a builtin's call against its signature and argument rules, a fn's call against its parameters, and
// the records of environment variables that stages and builtins take.

#include "hints.hpp"
#include "interpreter/edit_distance.hpp"
#include "types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace chain::checker {

namespace {

bool environment_name(std::string_view name) {
    auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
    return !name.empty() && letter(name[0]) &&
           std::all_of(name.begin(), name.end(), [&](char c) { return letter(c) || (c >= '0' && c <= '9'); });
}

/// A text where a record of variables belongs is most likely `test`'s former tox environment argument.
std::string environment_hint(const stdlib::Param& param, const stdlib::Builtin& builtin, const Type& actual) {
    if (param.name != "env" || actual.kind != Type::str) {
        return "";
    }
    std::string hint = "env: is a record of environment variables, like env: { PYTHONHASHSEED: \"0\" }";
    return builtin.param_index("tox_env") >= 0 ? hint + "; the tox environment to run is tox_env:" : hint;
}

/// `name(a: str, b: int)`, for the hints of a fn's call.
std::string fn_signature(const FnInfo& fn) {
    std::string signature = std::string(fn.decl->name.name) + "(";
    for (std::size_t i = 0; i < fn.decl->params.size(); ++i) {
        signature +=
            (i ? ", " : "") + std::string(fn.decl->params[i].name.name) + ": " + to_string(fn.param_types[i]);
    }
    return signature + ")";
}

} // namespace

Type Typer::check_call(const ast::Call& call, SourceRange range, Scope& scope, const Owner& owner,
                       bool has_block) {
    if (auto it = out_.fn_index.find(call.callee.name); it != out_.fn_index.end()) {
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
        error(owner.file, call.callee.range, "E0204", fmt::format("unknown function '{}'", call.callee.name),
              did_you_mean(closest_name(call.callee.name, names)));
        for (const ast::Arg& arg : call.args) {
            if (!std::holds_alternative<ast::Name>(arg.value->node)) {
                type_of(*arg.value, scope, owner);
            }
        }
        return Type{};
    }
    return check_builtin_call(call, *builtin, range, scope, owner, has_block);
}

/// The arguments of a builtin's call, by parameter, and whether any was wrong.
struct Typer::BuiltinArgs {
    stdlib::CallSite site;
    bool unknown_label = false;
    bool argument_error = false;
};

Type Typer::check_builtin_call(const ast::Call& call, const stdlib::Builtin& builtin, SourceRange range,
                               Scope& scope, const Owner& owner, bool has_block) {
    const ProgramFile* file = owner.file;
    if (!quiet()) {
        out_.callees.resolve(call, Callee{&builtin, nullptr});
    }
    BuiltinArgs args = check_builtin_args(call, builtin, scope, owner);
    stdlib::CallSite& site = args.site;
    // A misspelt label usually names the missing argument: one error says it.
    for (std::size_t i = 0; i < builtin.params.size() && !args.unknown_label; ++i) {
        if (builtin.params[i].required && !site.args[i]) {
            error(file, call.callee.range, "E0210",
                  fmt::format("'{}' needs the argument '{}'", builtin.name, builtin.params[i].name),
                  builtin.signature());
        }
    }
    if (builtin.block == stdlib::BlockUse::required && !has_block) {
        error(file, range, "E0217", fmt::format("'{}' needs a block of steps", builtin.name),
              fmt::format("{}(...) {{ sh(\"...\") }}", builtin.name));
    } else if (builtin.block == stdlib::BlockUse::none && has_block) {
        error(file, call.callee.range, "E0217", fmt::format("'{}' takes no block of steps", builtin.name));
    }
    if ((builtin.name == "file" || builtin.name == "dir") && site.args[0]) {
        warn_if_outside_repository(*site.args[0], builtin.name, file);
    }
    if (builtin.validate && !args.argument_error && !args.unknown_label) {
        for (stdlib::CallProblem& problem : builtin.validate(site)) {
            SourceRange at = problem.param == stdlib::CallProblem::whole_call || !site.args[problem.param]
                                 ? call.callee.range
                             : problem.part ? problem.part->range
                                            : site.args[problem.param]->range;
            error(file, at, problem.code, std::move(problem.message), std::move(problem.hint));
        }
    }
    return builtin.result ? builtin.result(site) : Type::of(Type::none);
}

Typer::BuiltinArgs Typer::check_builtin_args(const ast::Call& call, const stdlib::Builtin& builtin,
                                             Scope& scope, const Owner& owner) {
    const ProgramFile* file = owner.file;
    std::size_t count = builtin.params.size();
    BuiltinArgs args{stdlib::CallSite{std::vector<const ast::Expr*>(count), std::vector<Type>(count),
                                      std::vector<std::string>(count)}};
    std::size_t position = 0;
    for (const ast::Arg& arg : call.args) {
        std::size_t index;
        if (arg.label) {
            int found = builtin.param_index(arg.label->name);
            if (found < 0) {
                std::vector<std::string_view> names;
                for (const stdlib::Param& p : builtin.params) {
                    names.push_back(p.name);
                }
                std::string closest = closest_name(arg.label->name, names);
                args.unknown_label = true;
                error(file, arg.label->range, "E0205",
                      fmt::format("'{}' has no argument '{}'", builtin.name, arg.label->name),
                      closest.empty() ? builtin.signature() : did_you_mean(closest));
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
                      fmt::format("'{}' takes {} argument{}, this is one more", builtin.name, count,
                                  count == 1 ? "" : "s"),
                      builtin.signature());
                type_of(*arg.value, scope, owner);
                continue;
            }
            index = position++;
        }
        if (args.site.args[index]) {
            error(file, arg.label ? arg.label->range : arg.value->range, "E0213",
                  fmt::format("the argument '{}' of '{}' is given twice", builtin.params[index].name,
                              builtin.name));
            continue;
        }
        args.site.args[index] = &*arg.value;
        check_builtin_arg(arg, builtin.params[index], builtin, args, index, scope, owner);
    }
    return args;
}

/// An argument of a builtin, given for `param`: one of its words, or a value of a type it accepts.
void Typer::check_builtin_arg(const ast::Arg& arg, const stdlib::Param& param, const stdlib::Builtin& builtin,
                              BuiltinArgs& args, std::size_t index, Scope& scope, const Owner& owner) {
    if (!param.words.empty()) {
        args.site.words[index] = check_enum_word(*arg.value, param, builtin, owner);
        args.argument_error = args.argument_error || args.site.words[index].empty();
        return;
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
    args.site.types[index] = actual;
    bool accepted = std::any_of(param.accepts.begin(), param.accepts.end(),
                                [&](const Type& t) { return fits_words(actual, t); });
    if (!accepted) {
        args.argument_error = true;
        std::vector<std::string> expected;
        for (const Type& t : param.accepts) {
            expected.push_back(to_string(t));
        }
        error(owner.file, arg.value->range, "E0301",
              fmt::format("the argument '{}' of '{}' expects {}, found {}", param.name, builtin.name,
                          joined_words(expected), to_string(actual)),
              environment_hint(param, builtin, actual));
    }
}

/// W0507: file() or dir() of a literal path that is absolute, goes up out of the pipeline's folder with
/// `..`, or leads out of the
/// pipeline's folder through a symbolic link. An absolute path is read as written (the pipeline says
/// so); a relative one that leaves the folder is an error when the stage runs.
void Typer::warn_if_outside_repository(const ast::Expr& arg, const std::string& builtin,
                                       const ProgramFile* file) {
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
        warning(file, arg.range, "W0507",
                fmt::format("{}(\"{}\") takes a path outside the repository: {}", builtin, text, why),
                "an artifact is what the stage's steps made in the repository: make or copy it there");
    }
}

std::string Typer::check_enum_word(const ast::Expr& arg, const stdlib::Param& param,
                                   const stdlib::Builtin& builtin, const Owner& owner) {
    const auto* name = std::get_if<ast::Name>(&arg.node);
    if (name && std::find(param.words.begin(), param.words.end(), name->ident.name) != param.words.end()) {
        record_type(arg, Type::of(Type::str));
        return std::string(name->ident.name);
    }
    std::vector<std::string_view> words(param.words.begin(), param.words.end());
    std::string closest = name ? closest_name(name->ident.name, words) : std::string();
    error(owner.file, arg.range, "E0303",
          name ? fmt::format("'{}' is not a {} of '{}'; expected {}", name->ident.name, param.name,
                             builtin.name, joined_words(param.words))
               : fmt::format("the argument '{}' of '{}' is one of the words {}", param.name, builtin.name,
                             joined_words(param.words)),
          closest.empty() ? (name ? "" : fmt::format("write it bare: {}: {}", param.name, param.words[0]))
                          : did_you_mean(closest));
    return "";
}

Type Typer::check_fn_call(const ast::Call& call, std::size_t fn_index, Scope& scope, const Owner& owner,
                          bool has_block) {
    const FnInfo& fn = out_.fns[fn_index];
    if (!quiet()) {
        context_.fn_used[fn_index] = true;
        out_.callees.resolve(call, Callee{nullptr, &fn});
        if (owner.fn) {
            context_.fn_calls[*owner.fn].insert(fn_index);
        }
    }
    check_fn_args(call, fn, scope, owner);
    if (has_block) {
        error(owner.file, call.callee.range, "E0217",
              fmt::format("fn '{}' takes no block of steps", fn.decl->name.name));
    }
    if (owner.stage) {
        // The fn's body expands into the stage: its artifacts and the stages it uses become the stage's.
        for (const auto& [name, type] : fn.artifacts) {
            add_artifact(*owner.stage, name, type, call.callee.range, owner.file);
        }
        if (!quiet()) {
            for (const NeedRef& need : fn_stage_refs_[fn_index]) {
                context_.needs[*owner.stage].push_back(NeedRef{need.stage, call.callee.range, owner.file});
            }
        }
    }
    return Type::of(Type::none);
}

void Typer::check_fn_args(const ast::Call& call, const FnInfo& fn, Scope& scope, const Owner& owner) {
    const ProgramFile* file = owner.file;
    std::string signature = fn_signature(fn);
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
               fmt::format("the parameter '{}' of fn '{}'", fn.decl->params[index].name.name,
                           fn.decl->name.name));
    }
    for (std::size_t i = 0; i < given.size() && !unknown_label; ++i) {
        if (!given[i]) {
            error(file, call.callee.range, "E0210",
                  fmt::format("fn '{}' needs the argument '{}'", fn.decl->name.name,
                              fn.decl->params[i].name.name),
                  signature);
        }
    }
}

/// A record of environment variables (a stage's env clause, a builtin's env: argument): names a process
/// environment can hold, each once, with text values. Gives the record's type.
Type Typer::check_environment(const ast::Expr& expr, Scope& scope, const Owner& owner) {
    const auto& record = std::get<ast::RecordExpr>(expr.node);
    std::set<std::string> names;
    for (const ast::RecordEntry& entry : record.entries) {
        std::string name(entry.key.name);
        if (!names.insert(name).second) {
            error(owner.file, entry.key.range, "E0222",
                  fmt::format("the variable '{}' is already set here", name));
        } else if (!environment_name(name)) {
            error(owner.file, entry.key.range, "E0229",
                  fmt::format("'{}' is not an environment variable name", name),
                  "a name is letters, digits and '_', not starting with a digit, like PYTHONHASHSEED");
        }
        Type value = type_of(*entry.value, scope, owner);
        if (value.kind != Type::str && value.kind != Type::unknown) {
            error(owner.file, entry.value->range, "E0301",
                  fmt::format("the environment variable '{}' expects str, found {}", name, to_string(value)),
                  has_text_form(value)
                      ? "an environment variable holds text: quote it, or put it in a string as ${...}"
                      : "");
        }
    }
    Type type = Type::of(Type::record);
    record_type(expr, type);
    return type;
}

} // namespace chain::checker
