#include "repl.hpp"
#include "repl_text.hpp"

#include "completion.hpp"
#include "edit_distance.hpp"
#include "grammar/parser.hpp"
#include "stdlib/builtin.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <utility>

namespace chain {

using namespace repl_text;

namespace {

// The name the typed expression is bound to for checking and evaluating: no identifier can spell it.
constexpr std::string_view typed_value_name = "(value)";

const std::vector<std::pair<std::string_view, std::string_view>>& commands() {
    static const std::vector<std::pair<std::string_view, std::string_view>> list = {
        {":load", ":load FILE        load a pipeline file; what was typed is dropped"},
        {":reload", ":reload           read the file again; what was typed stays, on top of it"},
        {":branch", ":branch NAME      plan for this branch"},
        {":tag", ":tag NAME         plan for this tag"},
        {":ref", ":ref              the ref and the version it gives"},
        {":param", ":param [K=V|STAGE]  set a param as -p does; alone: every param, let and secret, its value and source; STAGE: those it uses"},
        {":stages", ":stages           every stage, whether it runs on the ref, and its clauses"},
        {":plan", ":plan [STAGE]     what chain plan prints, or only the instances of STAGE"},
        {":why", ":why STAGE        why STAGE runs or not: its condition, evaluated step by step"},
        {":type", ":type EXPR        the type of an expression, without evaluating it"},
        {":graph", ":graph [dot]      the stage graph as Mermaid (or Graphviz dot) text"},
        {":run", ":run [--rehearse] STAGE  really run STAGE and what it needs, after asking; --rehearse: effects only shown"},
        {":rollback", ":rollback STAGE [VERSION]  point STAGE's deploy target back (chain rollback), after asking"},
        {":help", ":help             this list"},
        {":quit", ":quit             leave (so does Ctrl-D)"},
    };
    return list;
}

const std::set<std::string_view>& declaration_words() {
    static const std::set<std::string_view> words = {"let", "param", "secret", "fn", "stage", "import", "pipeline"};
    return words;
}

const std::set<std::string_view>& unused_name_warnings() {
    static const std::set<std::string_view> codes = {"W0502", "W0503", "W0504", "W0505"};
    return codes;
}

/// What a declaration declares, as the namespace and name a later declaration replaces it by.
std::optional<std::pair<std::string, std::string>> declared(const ast::Decl& decl) {
    return std::visit(
        [](const auto& node) -> std::optional<std::pair<std::string, std::string>> {
            using T = std::decay_t<decltype(node)>;
            if constexpr (std::is_same_v<T, ast::Import>) {
                return std::nullopt;
            } else if constexpr (std::is_same_v<T, ast::Fn>) {
                return std::pair<std::string, std::string>("fn", node.name.name);
            } else if constexpr (std::is_same_v<T, ast::Stage>) {
                return std::pair<std::string, std::string>("stage", node.name.name);
            } else {
                return std::pair<std::string, std::string>("value", node.name.name);
            }
        },
        decl.node);
}

std::string_view declaration_word(const ast::Decl& decl) {
    static constexpr std::string_view words[] = {"import", "let", "param", "secret", "fn", "stage"};
    return words[decl.node.index()];
}

} // namespace

ReplSession::ReplSession(ReplSettings settings) : settings_(std::move(settings)) {
    ref_ = settings_.ref.value_or(refs::Ref{false, "develop"});
    if (!settings_.file.empty()) {
        started_ = load(settings_.file, false);
        return;
    }
    GitRepository repository = read_repository(".");
    git_ = repository.facts;
    if (!settings_.ref && repository.head) {
        ref_ = *repository.head;
    }
    current_ = check_with(nullptr, settings_.params);
    started_.output = fmt::format("an empty program on {}, version {}; :help lists the commands\n",
                                  describe_ref(ref_), pipeline_version(ref_, git_));
}

std::string ReplSession::ref_text() const { return ref_.is_tag ? "tag " + ref_.name : ref_.name; }

void EntryScanner::feed(std::string_view text) {
    for (char c : text) {
        switch (state_) {
        case State::code:
            if (c == '#') {
                state_ = State::comment;
            } else if (c == '"') {
                state_ = State::string;
            } else if (c == '{' || c == '[' || c == '(') {
                ++depth_;
            } else if (c == '}' || c == ']' || c == ')') {
                --depth_;
            }
            break;
        case State::string:
            state_ = c == '\\' ? State::escaped : c == '"' || c == '\n' ? State::code : State::string;
            break;
        case State::escaped: state_ = State::string; break;
        case State::comment: state_ = c == '\n' ? State::code : State::comment; break;
        }
    }
}

bool ReplSession::continues(std::string_view text) {
    EntryScanner scanner;
    scanner.feed(text);
    return scanner.open();
}

ReplReply ReplSession::eval(const std::string& input) {
    std::string_view text = trimmed(input);
    while (text.starts_with('#')) {
        std::size_t end = text.find('\n');
        text = end == std::string_view::npos ? std::string_view() : trimmed(text.substr(end));
    }
    if (text.empty()) {
        return {};
    }
    if (text.starts_with(':')) {
        std::size_t space = text.find_first_of(" \t");
        std::string_view name = text.substr(0, space);
        std::string_view argument = space == std::string_view::npos ? std::string_view() : trimmed(text.substr(space));
        return command(name, argument);
    }
    std::size_t word_end = 0;
    while (word_end < text.size() && identifier_char(text[word_end])) {
        ++word_end;
    }
    auto source = std::make_shared<const SourceFile>("<repl>", std::string(text));
    if (declaration_words().contains(text.substr(0, word_end))) {
        return declaration(source);
    }
    return expression(source, true);
}

ReplReply ReplSession::command(std::string_view name, std::string_view argument) {
    auto needs_argument = [&](std::string_view usage) -> std::optional<ReplReply> {
        if (argument.empty()) {
            return failure(fmt::format("{} needs an argument: {}", name, usage));
        }
        return std::nullopt;
    };
    if (name == ":quit" || name == ":q" || name == ":exit") {
        return ReplReply{"", false, true, ""};
    }
    if (name == ":help") {
        std::string out;
        for (const auto& [command, help] : commands()) {
            out += std::string(help) + "\n";
        }
        out += "Anything else is a declaration (let, param, secret, fn, stage), added to the program and checked\n"
               "with it (one of the same name is replaced), or an expression, printed with its type.\n";
        return ReplReply{out, false, false, ""};
    }
    if (name == ":load") {
        if (auto usage = needs_argument(":load FILE")) {
            return *usage;
        }
        return load(std::string(argument), false);
    }
    if (name == ":reload") {
        if (settings_.file.empty()) {
            return failure(":reload: no file was loaded; :load FILE");
        }
        return load(settings_.file, true);
    }
    if (name == ":branch" || name == ":tag") {
        if (auto usage = needs_argument(std::string(name) + " NAME")) {
            return *usage;
        }
        ref_ = refs::Ref{name == ":tag", std::string(argument)};
        settings_.ref = ref_;
        return show_ref();
    }
    if (name == ":ref") {
        return show_ref();
    }
    if (name == ":param") {
        return argument.find('=') == std::string_view::npos ? show_params(argument) : set_param(argument);
    }
    if (name == ":stages") {
        return show_stages();
    }
    if (name == ":plan") {
        return show_plan(argument, false);
    }
    if (name == ":why") {
        if (auto usage = needs_argument(":why STAGE")) {
            return *usage;
        }
        return show_plan(argument, true);
    }
    if (name == ":type") {
        if (auto usage = needs_argument(":type EXPR")) {
            return *usage;
        }
        return expression(std::make_shared<const SourceFile>("<repl>", std::string(argument)), false);
    }
    if (name == ":graph") {
        return show_graph(argument);
    }
    if (name == ":run") {
        constexpr std::string_view rehearse_flag = "--rehearse";
        bool rehearse = argument.starts_with(rehearse_flag) &&
                        (argument.size() == rehearse_flag.size() || argument[rehearse_flag.size()] == ' ');
        if (rehearse) {
            argument = trimmed(argument.substr(rehearse_flag.size()));
        }
        if (auto usage = needs_argument(":run [--rehearse] STAGE")) {
            return *usage;
        }
        return prepare_run(argument, rehearse);
    }
    if (name == ":rollback") {
        if (auto usage = needs_argument(":rollback STAGE [VERSION]")) {
            return *usage;
        }
        return prepare_rollback(argument);
    }
    std::vector<std::string_view> names;
    for (const auto& [command, help] : commands()) {
        names.push_back(command);
    }
    std::string guess = closest_name(name, names);
    return failure(fmt::format("unknown command {}{}; :help lists them", name,
                               guess.empty() ? "" : fmt::format(" (did you mean {}?)", guess)));
}

// ---- the program ------------------------------------------------------------------------------------------

LoadedProgram ReplSession::program_with(const Typed* extra) const {
    // Each declaration is replaced by a later one of the same name: the file's by anything typed, a typed
    // one by what was typed after it.
    std::vector<const Typed*> typed;
    for (const Typed& input : typed_) {
        typed.push_back(&input);
    }
    if (extra) {
        typed.push_back(extra);
    }
    auto replaced_after = [&](const ast::Decl& decl, std::size_t position) {
        auto key = declared(decl);
        if (!key) {
            return false;
        }
        for (std::size_t later = position; later < typed.size(); ++later) {
            for (const ast::Decl& other : typed[later]->ast.decls) {
                if (declared(other) == key) {
                    return true;
                }
            }
        }
        return false;
    };
    auto kept = [&](const ast::File& file, std::size_t position) {
        ast::File copy;
        copy.header = file.header;
        for (const ast::Decl& decl : file.decls) {
            if (!replaced_after(decl, position)) {
                copy.decls.push_back(decl);
            }
        }
        return copy;
    };
    LoadedProgram program;
    if (file_) {
        program.diagnostics = file_->diagnostics;
        for (const auto& file : file_->files) {
            program.files.push_back(std::make_unique<ProgramFile>(ProgramFile{file->source, kept(file->ast, 0), file->path}));
        }
    } else {
        // The checker reads the pipeline's name from its first file, which a session without one lacks.
        program.files.push_back(
            std::make_unique<ProgramFile>(ProgramFile{std::make_shared<const SourceFile>("<repl>", ""), {}, ""}));
    }
    for (std::size_t i = 0; i < typed.size(); ++i) {
        program.files.push_back(std::make_unique<ProgramFile>(ProgramFile{typed[i]->source, kept(typed[i]->ast, i + 1), ""}));
    }
    return program;
}

CheckResult ReplSession::check_with(const Typed* extra, const std::vector<std::string>& params) const {
    return check(program_with(extra), stdlib::standard_library(), CheckOptions{params});
}

ReplReply ReplSession::shown_diagnostics(const CheckResult& result, const SourceFile* source) const {
    ReplReply reply;
    for (const Diagnostic& diagnostic : result.diagnostics) {
        bool here = diagnostic.source.get() == source;
        if (diagnostic.severity == Severity::error) {
            std::string text = render_text(diagnostic);
            if (!here && std::find(known_errors_.begin(), known_errors_.end(), text) != known_errors_.end()) {
                continue;
            }
            reply.error = true;
            reply.output += text;
        } else if (here && !unused_name_warnings().contains(diagnostic.code)) {
            reply.output += render_text(diagnostic);
        }
    }
    return reply;
}

ReplReply ReplSession::load(const std::string& file, bool keep_typed) {
    std::string error;
    LoadedProgram loaded = load_program(file, error);
    if (loaded.files.empty()) {
        return failure(fmt::format("cannot load {}: {}", file, error));
    }
    file_ = std::move(loaded);
    settings_.file = file;
    if (!keep_typed) {
        typed_.clear();
    }
    std::filesystem::path folder = std::filesystem::path(file).parent_path();
    GitRepository repository = read_repository(folder.empty() ? "." : folder.string());
    git_ = repository.facts;
    if (!settings_.ref) {
        ref_ = repository.head.value_or(refs::Ref{false, "develop"});
    }
    current_ = check_with(nullptr, settings_.params);
    known_errors_.clear();
    ReplReply reply;
    for (const Diagnostic& diagnostic : current_->diagnostics) {
        bool typed = diagnostic.source->name() == "<repl>";
        if (typed && diagnostic.severity != Severity::error && unused_name_warnings().contains(diagnostic.code)) {
            continue;
        }
        reply.output += render_text(diagnostic);
        if (diagnostic.severity == Severity::error) {
            known_errors_.push_back(render_text(diagnostic));
        }
    }
    const CheckedProgram& program = current_->program;
    reply.output += fmt::format("{} {}: pipeline {}{}, {} stage{}; on {}, version {}\n", keep_typed ? "reloaded" : "loaded",
                                file, program.pipeline_name.empty() ? "(unnamed)" : program.pipeline_name,
                                program.pipeline_kind.empty() ? "" : " (" + program.pipeline_kind + ")",
                                program.stages.size(), program.stages.size() == 1 ? "" : "s", describe_ref(ref_),
                                pipeline_version(ref_, git_));
    if (!known_errors_.empty()) {
        reply.error = true;
        reply.output += fmt::format("{} has errors: :plan and :run wait until they are fixed (then :reload)\n", file);
    }
    return reply;
}

ReplReply ReplSession::declaration(const std::shared_ptr<const SourceFile>& source) {
    ParseResult parsed = parse(source);
    if (!parsed.diagnostics.empty()) {
        ReplReply reply{"", true, false, ""};
        for (const Diagnostic& diagnostic : parsed.diagnostics) {
            reply.output += render_text(diagnostic);
        }
        return reply;
    }
    if (parsed.file.header) {
        return failure("a pipeline header belongs at the top of a file: :load one");
    }
    for (const ast::Decl& decl : parsed.file.decls) {
        if (std::holds_alternative<ast::Import>(decl.node)) {
            return failure("import works in files: :load a file that imports what you need");
        }
    }
    Typed typed{source, std::move(parsed.file)};
    CheckResult result = check_with(&typed, settings_.params);
    ReplReply reply = shown_diagnostics(result, source.get());
    if (reply.error) {
        reply.output += "not added: the program stays as it was\n";
        return reply;
    }
    for (const ast::Decl& decl : typed.ast.decls) {
        auto key = declared(decl);
        std::string before;
        if (current_ && key->first == "stage") {
            const StageInfo* stage = current_->program.find_stage(key->second);
            before = stage ? where(stage->file, stage->decl->name.range) : "";
        } else if (current_ && key->first == "fn") {
            const FnInfo* fn = current_->program.find_fn(key->second);
            before = fn ? where(fn->file, fn->decl->name.range) : "";
        } else if (current_) {
            const GlobalValue* value = current_->program.find_value(key->second);
            before = value ? where(value->file, value->name_range) : "";
        }
        reply.output += before.empty() ? fmt::format("added {} '{}'\n", declaration_word(decl), key->second)
                                       : fmt::format("replaced {} '{}' of {}\n", declaration_word(decl), key->second, before);
    }
    typed_.push_back(std::move(typed));
    current_ = std::move(result);
    known_errors_.clear();
    for (const Diagnostic& diagnostic : current_->diagnostics) {
        if (diagnostic.severity == Severity::error) {
            known_errors_.push_back(render_text(diagnostic));
        }
    }
    return reply;
}

ReplReply ReplSession::expression(const std::shared_ptr<const SourceFile>& source, bool with_value) {
    ExpressionResult parsed = parse_expression(source);
    if (!parsed.expr) {
        ReplReply reply{"", true, false, ""};
        for (const Diagnostic& diagnostic : parsed.diagnostics) {
            reply.output += render_text(diagnostic);
        }
        return reply;
    }
    SourceRange range = parsed.expr->range;
    Typed typed{source, {}};
    typed.ast.decls.push_back(ast::Decl{
        ast::Let{ast::Ident{typed_value_name, range}, std::nullopt, std::move(*parsed.expr)}, range});
    CheckResult result = check_with(&typed, settings_.params);
    ReplReply reply = shown_diagnostics(result, source.get());
    if (reply.error) {
        return reply;
    }
    const GlobalValue* value = result.program.find_value(typed_value_name);
    std::string type = to_string(value->type);
    if (!with_value) {
        reply.output += type + "\n";
        return reply;
    }
    if (!known_errors_.empty()) {
        reply.output += fmt::format("{}   (not evaluated: the program has errors)\n", type);
        return reply;
    }
    try {
        reply.output += fmt::format("{} : {}\n", stdlib::literal_of(evaluate_value(result.program, plan_options(), *value)), type);
    } catch (const std::exception& e) {
        return failure(fmt::format("cannot evaluate it: {}", e.what()));
    }
    return reply;
}

ReplReply ReplSession::set_param(std::string_view setting) {
    std::size_t equals = setting.find('=');
    if (equals == std::string_view::npos || equals == 0) {
        return failure(":param needs NAME=VALUE, as -p takes it");
    }
    std::string name(trimmed(setting.substr(0, equals)));
    std::vector<std::string> params;
    for (const std::string& given : settings_.params) {
        if (!given.starts_with(name + "=")) {
            params.push_back(given);
        }
    }
    params.push_back(name + "=" + std::string(trimmed(setting.substr(equals + 1))));
    CheckResult result = check_with(nullptr, params);
    ReplReply reply = shown_diagnostics(result, nullptr);
    if (reply.error) {
        reply.output += "the param stays as it was\n";
        return reply;
    }
    settings_.params = std::move(params);
    current_ = std::move(result);
    const GlobalValue* value = current_->program.find_value(name);
    std::string shown = value && known_errors_.empty()
                            ? stdlib::literal_of(evaluate_value(current_->program, plan_options(), *value))
                            : std::string(trimmed(setting.substr(equals + 1)));
    reply.output += fmt::format("param {} = {}\n", name, shown);
    return reply;
}

// ---- completion -------------------------------------------------------------------------------------------

std::vector<std::string> ReplSession::complete(std::string_view before) const {
    const CheckedProgram* program = current_ ? &current_->program : nullptr;
    std::string_view line = trimmed(before);
    std::vector<std::string> words;
    if (!line.starts_with(':')) {
        for (Completion& completion : complete_source(program, before)) {
            words.push_back(std::move(completion.word));
        }
        return words;
    }
    std::size_t word_start = before.size();
    while (word_start > 0 && before[word_start - 1] != ' ' && before[word_start - 1] != '\t') {
        --word_start;
    }
    std::string_view word = before.substr(word_start);
    std::string_view command = line.substr(0, line.find_first_of(" \t"));
    if (before.substr(0, word_start).find_first_not_of(" \t") == std::string_view::npos) {
        for (const auto& [name, help] : commands()) {
            words.emplace_back(name);
        }
    } else if ((command == ":plan" || command == ":why" || command == ":run" || command == ":param") && program) {
        for (const StageInfo& stage : program->stages) {
            words.push_back(stage.name);
        }
    } else if (command == ":graph") {
        words = {"dot", "mermaid"};
    } else if (command == ":load") {
        std::filesystem::path typed(word);
        std::filesystem::path folder = typed.has_parent_path() ? typed.parent_path() : ".";
        std::error_code error;
        for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
            std::string name = typed.has_parent_path() ? (folder / entry.path().filename()).string()
                                                       : entry.path().filename().string();
            if (entry.is_directory(error)) {
                words.push_back(name + "/");
            } else if (name.ends_with(".chain")) {
                words.push_back(name);
            }
        }
    }
    std::erase_if(words, [&](const std::string& candidate) { return !candidate.starts_with(word); });
    std::sort(words.begin(), words.end());
    return words;
}

} // namespace chain
