#include "lsp.hpp"

#include "completion.hpp"
#include "grammar/format.hpp"
#include "stdlib/builtin.hpp"

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <filesystem>

namespace chain {

namespace {

using json = nlohmann::json;

// JSON-RPC and LSP error codes.
constexpr int parse_error = -32700;
constexpr int invalid_request = -32600;
constexpr int method_not_found = -32601;
constexpr int invalid_params = -32602;

/// A message as sent. Text from the input (a parse error quotes the bytes it stopped at) may be invalid
/// UTF-8, which JSON cannot hold: such bytes become U+FFFD instead of ending the server.
std::string serialized(const json& message) { return message.dump(-1, ' ', false, json::error_handler_t::replace); }

// ---- positions: LSP counts lines from 0 and characters in UTF-16 code units -------------------------------

std::size_t utf8_length(unsigned char lead) { return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

json position_json(const SourceFile& source, std::uint32_t offset) {
    const std::string& text = source.text();
    offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size()));
    std::size_t line_start = offset == 0 ? 0 : text.rfind('\n', offset - 1);
    line_start = line_start == std::string::npos ? 0 : (offset == 0 ? 0 : line_start + 1);
    std::size_t units = 0;
    for (std::size_t at = line_start; at < offset;) {
        std::size_t length = utf8_length(static_cast<unsigned char>(text[at]));
        units += length == 4 ? 2 : 1;
        at += length;
    }
    return {{"line", source.position(offset).line - 1}, {"character", units}};
}

json range_json(const SourceFile& source, SourceRange range) {
    return {{"start", position_json(source, range.begin)}, {"end", position_json(source, range.end)}};
}

/// The byte offset of an LSP position; past the end of a line it is the line's end, past the last line
/// the end of the text (as the protocol asks clients to expect).
std::uint32_t offset_of(const SourceFile& source, const json& position) {
    std::int64_t line = position.at("line").get<std::int64_t>();
    std::int64_t character = position.at("character").get<std::int64_t>();
    const std::string& text = source.text();
    if (line < 0 || character < 0) {
        throw std::out_of_range("a position has no negative line or character");
    }
    if (line >= source.line_count()) {
        return static_cast<std::uint32_t>(text.size());
    }
    std::string_view line_text = source.line_text(static_cast<std::uint32_t>(line) + 1);
    std::size_t at = static_cast<std::size_t>(line_text.data() - text.data());
    std::size_t end = at + line_text.size();
    for (std::int64_t units = 0; at < end && units < character;) {
        std::size_t length = utf8_length(static_cast<unsigned char>(text[at]));
        units += length == 4 ? 2 : 1;
        at += length;
    }
    return static_cast<std::uint32_t>(std::min(at, end));
}

std::string uri_of_path(const std::string& path) {
    return "file://" + std::filesystem::absolute(path).lexically_normal().string();
}

std::string path_of_uri(const std::string& uri) {
    std::string path = uri.starts_with("file://") ? uri.substr(7) : uri;
    std::string decoded;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '%' && i + 2 < path.size()) {
            decoded += static_cast<char>(std::stoi(path.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            decoded += path[i];
        }
    }
    return decoded;
}

// ---- what is under the cursor -------------------------------------------------------------------------------

/// The identifier at an offset and what it is, with the declarations around it.
struct Spot {
    enum Kind { nothing, name, member_object, member, callee, need, declared } kind = nothing;
    const ast::Expr* expr = nullptr; // the Name, Member or Call it belongs to
    const ast::Ident* ident = nullptr;
    const ast::Decl* decl = nullptr; // the top-level declaration it is in
    const ast::Expr* declared_value = nullptr; // for a let or artifact name: its value
};

bool covers(SourceRange range, std::uint32_t offset) { return range.begin <= offset && offset <= range.end; }

class SpotFinder {
  public:
    explicit SpotFinder(std::uint32_t offset) : offset_(offset) {}

    Spot find(const ast::File& file) {
        for (const ast::Decl& decl : file.decls) {
            if (covers(decl.range, offset_)) {
                spot_.decl = &decl;
                declaration(decl);
                break;
            }
        }
        return spot_;
    }

  private:
    bool at(const ast::Ident& ident, Spot::Kind kind, const ast::Expr* expr = nullptr,
            const ast::Expr* declared_value = nullptr) {
        if (!covers(ident.range, offset_) || ident.name.empty()) {
            return false;
        }
        spot_.kind = kind;
        spot_.ident = &ident;
        spot_.expr = expr;
        spot_.declared_value = declared_value;
        return true;
    }

    void declaration(const ast::Decl& decl) {
        std::visit(overloaded{
                       [&](const ast::Import&) {},
                       [&](const ast::Let& d) { at(d.name, Spot::declared, nullptr, &d.value) || expr(d.value); },
                       [&](const ast::Param& d) {
                           at(d.name, Spot::declared) || (d.default_value && expr(*d.default_value));
                       },
                       [&](const ast::Secret& d) { at(d.name, Spot::declared); },
                       [&](const ast::Fn& d) {
                           if (!at(d.name, Spot::declared)) {
                               for (const ast::FnParam& param : d.params) {
                                   at(param.name, Spot::declared);
                               }
                               block(d.body);
                           }
                       },
                       [&](const ast::Stage& d) {
                           if (at(d.name, Spot::declared)) {
                               return;
                           }
                           for (const ast::Clause& clause : d.clauses) {
                               std::visit(overloaded{
                                              [&](const ast::NeedsClause& c) {
                                                  for (const ast::Ident& stage : c.stages) {
                                                      at(stage, Spot::need);
                                                  }
                                              },
                                              [&](const ast::WhenClause& c) { expr(c.condition); },
                                              [&](const ast::MatrixClause& c) {
                                                  at(c.variable, Spot::declared) || expr(*c.values);
                                              },
                                              [&](const auto&) {},
                                          },
                                          clause.node);
                           }
                           block(d.body);
                       },
                   },
                   decl.node);
    }

    void block(const ast::Block& body) {
        for (const ast::Stmt& stmt : body.stmts) {
            if (!covers(stmt.range, offset_)) {
                continue;
            }
            std::visit(overloaded{
                           [&](const ast::ArtifactStmt& s) { at(s.name, Spot::declared, nullptr, &s.value) || expr(s.value); },
                           [&](const ast::Let& s) { at(s.name, Spot::declared, nullptr, &s.value) || expr(s.value); },
                           [&](const ast::WhenStmt& s) {
                               expr(s.condition);
                               block(s.then_block);
                               if (s.else_block) {
                                   block(*s.else_block);
                               }
                           },
                           [&](const ast::CallStmt& s) {
                               expr(s.call);
                               if (s.block) {
                                   block(*s.block);
                               }
                           },
                       },
                       stmt.node);
        }
    }

    bool expr(const ast::Expr& e) {
        if (!covers(e.range, offset_)) {
            return false;
        }
        return std::visit(
            overloaded{
                [&](const ast::Name& n) { return at(n.ident, Spot::name, &e); },
                [&](const ast::Member& m) { return at(m.object, Spot::member_object, &e) || at(m.member, Spot::member, &e); },
                [&](const ast::Call& c) {
                    if (at(c.callee, Spot::callee, &e)) {
                        return true;
                    }
                    for (const ast::Arg& arg : c.args) {
                        if (expr(*arg.value)) {
                            return true;
                        }
                    }
                    return false;
                },
                [&](const ast::StringLit& s) {
                    for (const ast::StringPart& part : s.parts) {
                        if (const auto* inner = std::get_if<ast::Box<ast::Expr>>(&part); inner && expr(**inner)) {
                            return true;
                        }
                    }
                    return false;
                },
                [&](const ast::ListExpr& l) {
                    return std::any_of(l.items.begin(), l.items.end(), [&](const ast::Expr& item) { return expr(item); });
                },
                [&](const ast::RecordExpr& r) {
                    return std::any_of(r.entries.begin(), r.entries.end(),
                                       [&](const ast::RecordEntry& entry) { return expr(*entry.value); });
                },
                [&](const ast::Infix& i) {
                    return std::any_of(i.operands.begin(), i.operands.end(), [&](const ast::Expr& operand) { return expr(operand); });
                },
                [&](const ast::Not& n) { return expr(*n.operand); },
                [&](const auto&) { return false; },
            },
            e.node);
    }

    std::uint32_t offset_;
    Spot spot_;
};

// ---- words for hovers ----------------------------------------------------------------------------------------

std::string builtin_signature(const stdlib::Builtin& builtin) {
    std::string params;
    for (const stdlib::Param& param : builtin.params) {
        std::string accepts;
        if (!param.words.empty()) {
            for (const std::string& word : param.words) {
                accepts += (accepts.empty() ? "" : "|") + word;
            }
        } else {
            for (const Type& type : param.accepts) {
                accepts += (accepts.empty() ? "" : " | ") + to_string(type);
            }
        }
        params += (params.empty() ? "" : ", ") + param.name + ": " + accepts;
    }
    return builtin.name + "(" + params + ")";
}

std::string source_text(const ProgramFile* file, SourceRange range) {
    return std::string(std::string_view(file->source->text()).substr(range.begin, range.end - range.begin));
}

std::string stage_summary(const CheckedProgram& program, const StageInfo& stage) {
    std::string out = "stage " + stage.name;
    std::string needs;
    for (std::size_t need : stage.needs) {
        needs += (needs.empty() ? "" : ", ") + program.stages[need].name;
    }
    out += needs.empty() ? "" : "\nneeds " + needs;
    out += stage.condition ? "\nwhen " + source_text(stage.file, stage.condition->range) : "\nruns on every ref";
    for (const auto& [name, artifact] : stage.artifacts) {
        out += "\nartifact " + name + ": " + to_string(artifact.type);
    }
    return out;
}

std::string fn_signature(const FnInfo& fn) {
    std::string params;
    for (const ast::FnParam& param : fn.decl->params) {
        params += (params.empty() ? "" : ", ") + std::string(param.name.name) + ": " + source_text(fn.file, param.type.range);
    }
    return "fn " + std::string(fn.decl->name.name) + "(" + params + ")";
}

const StageInfo* stage_around(const CheckedProgram& program, const Spot& spot) {
    const auto* stage = spot.decl ? std::get_if<ast::Stage>(&spot.decl->node) : nullptr;
    return stage ? program.find_stage(stage->name.name) : nullptr;
}

/// What a hover shows, as markdown; empty for nothing known.
std::string hover_text(const CheckedProgram& program, const Spot& spot) {
    std::string name(spot.ident->name);
    auto code = [](const std::string& text) { return "```chain\n" + text + "\n```"; };
    const StageInfo* around = stage_around(program, spot);
    switch (spot.kind) {
    case Spot::callee: {
        if (const stdlib::Builtin* builtin = stdlib::standard_library().find(name); builtin && !program.find_fn(name)) {
            std::string result = to_string(program.type_of(*spot.expr));
            return code(builtin_signature(*builtin) + (result == "unknown" ? "" : " -> " + result)) + "\n\n" +
                   builtin->summary;
        }
        const FnInfo* fn = program.find_fn(name);
        return fn ? code(fn_signature(*fn)) : "";
    }
    case Spot::need:
    case Spot::member_object: {
        const StageInfo* stage = program.find_stage(name);
        return stage ? code(stage_summary(program, *stage)) : "";
    }
    case Spot::member: return code(spot.expr ? source_text(program.loaded.files[0].get(), spot.expr->range) + ": " +
                                                   to_string(program.type_of(*spot.expr))
                                             : name);
    case Spot::declared:
    case Spot::name: {
        if (around && around->artifacts.contains(name)) {
            return code("artifact " + name + ": " + to_string(around->artifacts.at(name).type));
        }
        const GlobalValue* value = program.find_value(name);
        if (value && (spot.kind == Spot::name || spot.decl)) {
            if (spot.kind == Spot::name || value->name_range == spot.ident->range) {
                return code(std::string(value_kind_name(value->kind)) + " " + name + ": " + to_string(value->type));
            }
        }
        const StageInfo* stage = program.find_stage(name);
        if (stage && (spot.kind == Spot::name || stage->decl->name.range == spot.ident->range)) {
            return code(stage_summary(program, *stage));
        }
        const FnInfo* fn = program.find_fn(name);
        if (fn && fn->decl->name.range == spot.ident->range) {
            return code(fn_signature(*fn));
        }
        const ast::Expr* typed = spot.kind == Spot::name ? spot.expr : spot.declared_value;
        if (typed) {
            Type type = program.type_of(*typed);
            return type.kind == Type::unknown ? "" : code(name + ": " + to_string(type));
        }
        return "";
    }
    case Spot::nothing: return "";
    }
    return "";
}

struct Place {
    const ProgramFile* file = nullptr;
    SourceRange range;
};

/// Where what the spot names is declared: a stage, an artifact, a let, param, secret or fn, a matrix
/// variable, a fn's parameter, or a let inside the same block.
std::optional<Place> definition_of(const CheckedProgram& program, const Spot& spot) {
    std::string name(spot.ident->name);
    const ProgramFile* here = program.loaded.files[0].get();
    if (spot.kind == Spot::member && spot.expr) {
        const auto& member = std::get<ast::Member>(spot.expr->node);
        const StageInfo* stage = program.find_stage(member.object.name);
        if (stage && stage->artifacts.contains(name)) {
            return Place{stage->file, stage->artifacts.at(name).name_range};
        }
        return std::nullopt;
    }
    if (spot.kind == Spot::need || spot.kind == Spot::member_object) {
        const StageInfo* stage = program.find_stage(name);
        return stage ? std::optional(Place{stage->file, stage->decl->name.range}) : std::nullopt;
    }
    if (spot.kind == Spot::callee) {
        const FnInfo* fn = program.find_fn(name);
        return fn ? std::optional(Place{fn->file, fn->decl->name.range}) : std::nullopt;
    }
    if (spot.kind != Spot::name) {
        return std::nullopt;
    }
    if (const auto* stage = spot.decl ? std::get_if<ast::Stage>(&spot.decl->node) : nullptr) {
        if (const StageInfo* info = program.find_stage(stage->name.name); info && info->artifacts.contains(name)) {
            return Place{info->file, info->artifacts.at(name).name_range};
        }
        for (const ast::Clause& clause : stage->clauses) {
            const auto* matrix = std::get_if<ast::MatrixClause>(&clause.node);
            if (matrix && matrix->variable.name == name) {
                return Place{here, matrix->variable.range};
            }
        }
        for (const ast::Stmt& stmt : stage->body.stmts) {
            const auto* let = std::get_if<ast::Let>(&stmt.node);
            if (let && let->name.name == name && stmt.range.end <= spot.ident->range.begin) {
                return Place{here, let->name.range};
            }
        }
    }
    if (const auto* fn = spot.decl ? std::get_if<ast::Fn>(&spot.decl->node) : nullptr) {
        for (const ast::FnParam& param : fn->params) {
            if (param.name.name == name) {
                return Place{here, param.name.range};
            }
        }
    }
    if (const GlobalValue* value = program.find_value(name)) {
        return Place{value->file, value->name_range};
    }
    if (const StageInfo* stage = program.find_stage(name)) {
        return Place{stage->file, stage->decl->name.range};
    }
    return std::nullopt;
}

int completion_kind(Completion::Kind kind) {
    switch (kind) { // LSP CompletionItemKind
    case Completion::Kind::keyword: return 14;
    case Completion::Kind::builtin:
    case Completion::Kind::fn: return 3;
    case Completion::Kind::value: return 6;
    case Completion::Kind::stage: return 7;
    case Completion::Kind::argument: return 10;
    case Completion::Kind::enum_word: return 20;
    case Completion::Kind::artifact: return 5;
    }
    return 1;
}

json symbols_of(const ProgramFile& file, const CheckedProgram& program) {
    json symbols = json::array();
    const SourceFile& source = *file.source;
    auto symbol = [&](const std::string& name, int kind, SourceRange range, SourceRange selection, std::string detail) {
        return json{{"name", name},
                    {"kind", kind},
                    {"detail", std::move(detail)},
                    {"range", range_json(source, range)},
                    {"selectionRange", range_json(source, selection)}};
    };
    for (const ast::Decl& decl : file.ast.decls) {
        std::visit(overloaded{
                       [&](const ast::Import&) {},
                       [&](const ast::Let& d) { symbols.push_back(symbol(std::string(d.name.name), 13, decl.range, d.name.range, "let")); },
                       [&](const ast::Param& d) { symbols.push_back(symbol(std::string(d.name.name), 7, decl.range, d.name.range, "param")); },
                       [&](const ast::Secret& d) { symbols.push_back(symbol(std::string(d.name.name), 20, decl.range, d.name.range, "secret")); },
                       [&](const ast::Fn& d) { symbols.push_back(symbol(std::string(d.name.name), 12, decl.range, d.name.range, "fn")); },
                       [&](const ast::Stage& d) {
                           json stage = symbol(std::string(d.name.name), 5, decl.range, d.name.range, "stage");
                           json children = json::array();
                           if (const StageInfo* info = program.find_stage(d.name.name); info && info->file == &file) {
                               for (const auto& [name, artifact] : info->artifacts) {
                                   children.push_back(symbol(name, 8, artifact.name_range, artifact.name_range,
                                                             to_string(artifact.type)));
                               }
                           }
                           stage["children"] = std::move(children);
                           symbols.push_back(std::move(stage));
                       },
                   },
                   decl.node);
    }
    return symbols;
}

/// The checker's findings in the document itself (an imported file's are for that file), with codes.
json diagnostics_of(const CheckResult& result, const std::string& uri) {
    json diagnostics = json::array();
    const SourceFile* main = result.program.loaded.files.empty() ? nullptr : result.program.loaded.files[0]->source.get();
    for (const Diagnostic& diagnostic : result.diagnostics) {
        if (diagnostic.source.get() != main) {
            continue;
        }
        json item = {{"range", range_json(*diagnostic.source, diagnostic.range)},
                     {"severity", diagnostic.severity == Severity::error ? 1 : 2},
                     {"code", diagnostic.code},
                     {"source", "chain"},
                     {"message", diagnostic.hint.empty() ? diagnostic.message
                                                         : diagnostic.message + "\n" + diagnostic.hint}};
        for (const DiagnosticNote& note : diagnostic.notes) {
            item["relatedInformation"].push_back(
                {{"location", {{"uri", uri}, {"range", range_json(*diagnostic.source, note.range)}}},
                 {"message", note.message}});
        }
        diagnostics.push_back(std::move(item));
    }
    return diagnostics;
}

} // namespace

LanguageServer::Document* LanguageServer::document(const std::string& uri) {
    auto it = documents_.find(uri);
    return it == documents_.end() ? nullptr : &it->second;
}

void LanguageServer::analyze(Document& document, std::string text) {
    auto source = std::make_shared<const SourceFile>(document.path, std::move(text));
    auto result = std::make_shared<CheckResult>(
        check(load_program(source, document.path), stdlib::standard_library(), CheckOptions{{}, true}));
    document.syntax_errors = std::any_of(result->diagnostics.begin(), result->diagnostics.end(), [](const Diagnostic& d) {
        return d.severity == Severity::error && d.code.starts_with("E01");
    });
    document.current = result;
    if (!document.syntax_errors || !document.last_clean) {
        document.last_clean = result;
    }
}

std::vector<std::string> LanguageServer::unreadable(std::string_view why) const {
    return {serialized(json{{"jsonrpc", "2.0"}, {"id", nullptr}, {"error", {{"code", parse_error}, {"message", why}}}})};
}

std::vector<std::string> LanguageServer::handle(std::string_view body) {
    std::vector<std::string> out;
    json message;
    try {
        message = json::parse(body);
    } catch (const json::parse_error& e) {
        return unreadable(e.what());
    }
    if (!message.is_object() || !message.contains("method") || !message["method"].is_string()) {
        if (message.is_object() && message.contains("id") && !message.contains("method")) {
            return out; // a response to a request of ours; chain sends none
        }
        out.push_back(serialized(json{{"jsonrpc", "2.0"},
                                      {"id", message.is_object() && message.contains("id") ? message["id"] : json()},
                                      {"error", {{"code", invalid_request}, {"message", "not a JSON-RPC request"}}}}));
        return out;
    }
    std::string method = message["method"];
    bool request = message.contains("id");
    json id = request ? message["id"] : json();
    auto reply = [&](json result) { out.push_back(serialized(json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}})); };
    auto fail = [&](int code, const std::string& why) {
        out.push_back(serialized(json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", why}}}}));
    };
    auto publish = [&](const Document& document) {
        json params = {{"uri", document.uri}, {"diagnostics", diagnostics_of(*document.current, document.uri)}};
        out.push_back(serialized(json{{"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"}, {"params", params}}));
    };
    try {
        const json params = message.value("params", json::object());
        if (method == "initialize") {
            reply({{"capabilities",
                    {{"textDocumentSync", {{"openClose", true}, {"change", 1}}},
                     {"hoverProvider", true},
                     {"completionProvider", {{"triggerCharacters", {".", ":", "("}}}},
                     {"definitionProvider", true},
                     {"documentSymbolProvider", true},
                     {"documentFormattingProvider", true}}},
                   {"serverInfo", {{"name", "chain"}}}});
        } else if (method == "shutdown") {
            shutdown_ = true;
            reply(nullptr);
        } else if (method == "exit") {
            exited_ = true;
        } else if (method == "textDocument/didOpen" || method == "textDocument/didChange") {
            const json& item = params.at("textDocument");
            std::string uri = item.at("uri");
            std::string text = method == "textDocument/didOpen" ? item.at("text").get<std::string>()
                                                               : params.at("contentChanges").back().at("text").get<std::string>();
            Document& document = documents_[uri];
            document.uri = uri;
            document.path = path_of_uri(uri);
            analyze(document, std::move(text));
            publish(document);
        } else if (method == "textDocument/didClose") {
            std::string uri = params.at("textDocument").at("uri");
            documents_.erase(uri);
            out.push_back(serialized(json{{"jsonrpc", "2.0"},
                                          {"method", "textDocument/publishDiagnostics"},
                                          {"params", {{"uri", uri}, {"diagnostics", json::array()}}}}));
        } else if (method.starts_with("textDocument/") && request) {
            Document* document = this->document(params.at("textDocument").at("uri").get<std::string>());
            if (!document) {
                reply(nullptr); // not open: nothing is known of it
                return out;
            }
            const CheckedProgram& program = document->current->program;
            const ProgramFile& file = *program.loaded.files[0];
            if (method == "textDocument/hover" || method == "textDocument/definition") {
                std::uint32_t offset = offset_of(*file.source, params.at("position"));
                Spot spot = SpotFinder(offset).find(file.ast);
                if (spot.kind == Spot::nothing) {
                    reply(nullptr);
                } else if (method == "textDocument/hover") {
                    std::string text = hover_text(program, spot);
                    reply(text.empty() ? json(nullptr)
                                       : json{{"contents", {{"kind", "markdown"}, {"value", text}}},
                                              {"range", range_json(*file.source, spot.ident->range)}});
                } else {
                    std::optional<Place> place = definition_of(program, spot);
                    reply(!place ? json(nullptr)
                                 : json{{"uri", place->file == &file ? document->uri : uri_of_path(place->file->path)},
                                        {"range", range_json(*place->file->source, place->range)}});
                }
            } else if (method == "textDocument/completion") {
                std::uint32_t offset = offset_of(*file.source, params.at("position"));
                std::string_view before = std::string_view(file.source->text()).substr(0, offset);
                json items = json::array();
                for (const Completion& completion : complete_source(&document->last_clean->program, before)) {
                    items.push_back({{"label", completion.word},
                                     {"kind", completion_kind(completion.kind)},
                                     {"detail", completion.detail}});
                }
                reply({{"isIncomplete", false}, {"items", items}});
            } else if (method == "textDocument/documentSymbol") {
                reply(symbols_of(file, program));
            } else if (method == "textDocument/formatting") {
                std::string formatted =
                    document->syntax_errors ? file.source->text() : format_file(file.ast, *file.source);
                json edits = json::array();
                if (formatted != file.source->text()) {
                    edits.push_back({{"range", range_json(*file.source, {0, static_cast<std::uint32_t>(file.source->text().size())})},
                                     {"newText", formatted}});
                }
                reply(edits);
            } else {
                fail(method_not_found, "chain lsp does not serve " + method);
            }
        } else if (request) {
            fail(method_not_found, "chain lsp does not serve " + method);
        }
    } catch (const std::exception& e) {
        if (request) {
            fail(invalid_params, std::string("invalid params for ") + method + ": " + e.what());
        }
    }
    return out;
}

} // namespace chain
