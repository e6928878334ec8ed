#include "program.hpp"

#include "grammar/parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace chain {

namespace {

struct Loader {
    const SourceReader& read;
    LoadedProgram program;
    std::vector<std::string> loaded;    // canonical paths of the files in `program.files`
    std::vector<std::string> importing; // canonical paths of the import chain being followed

    /// The canonical path, by which a file imported twice is loaded once; a pipe such as /dev/stdin has
    /// none and is only itself.
    static std::string identity(const std::filesystem::path& path) {
        std::error_code error;
        std::filesystem::path canonical = std::filesystem::weakly_canonical(path, error);
        return error ? path.string() : canonical.string();
    }

    void load(const std::shared_ptr<const SourceFile>& source, const std::string& path) {
        std::string canonical = identity(path);
        loaded.push_back(canonical);
        importing.push_back(canonical);
        ParseResult parsed = parse(source);
        program.diagnostics.insert(program.diagnostics.end(), parsed.diagnostics.begin(), parsed.diagnostics.end());
        auto file = std::make_unique<ProgramFile>(ProgramFile{source, std::move(parsed.file), path});
        ProgramFile& current = *file;
        program.files.push_back(std::move(file));
        for (const ast::Decl& decl : current.ast.decls) {
            if (const auto* import = std::get_if<ast::Import>(&decl.node)) {
                follow(current, *import);
            }
        }
        importing.pop_back();
    }

    void follow(const ProgramFile& importer, const ast::Import& import) {
        std::string relative;
        for (const ast::StringPart& part : std::get<ast::StringLit>(import.path.node).parts) {
            if (const auto* text = std::get_if<std::string>(&part)) {
                relative += *text;
            } else {
                report(importer, import, "E0216", "an import path cannot contain '${...}'", "");
                return;
            }
        }
        std::filesystem::path target = std::filesystem::path(importer.path).parent_path() / relative;
        std::string canonical = identity(target);
        auto in_chain = std::find(importing.begin(), importing.end(), canonical);
        if (in_chain != importing.end()) {
            std::string cycle;
            for (auto it = in_chain; it != importing.end(); ++it) {
                cycle += std::filesystem::path(*it).filename().string() + " -> ";
            }
            cycle += std::filesystem::path(canonical).filename().string();
            report(importer, import, "E0216", fmt::format("import cycle: {}", cycle), "");
            return;
        }
        if (std::find(loaded.begin(), loaded.end(), canonical) != loaded.end()) {
            return; // each file is loaded and checked once
        }
        LoadedSource source = read(target.lexically_normal().string());
        if (!source.source) {
            report(importer, import, "E0215", fmt::format("cannot import '{}': {}", relative, source.error), "");
            return;
        }
        load(source.source, target.lexically_normal().string());
    }

    void report(const ProgramFile& file, const ast::Import& import, const char* code, std::string message,
                std::string hint) {
        program.diagnostics.push_back(
            Diagnostic{file.source, import.path.range, Severity::error, code, std::move(message), std::move(hint)});
    }
};

} // namespace

LoadedProgram load_program(const std::string& path, std::string& error) {
    LoadedSource source = load_source(path);
    if (!source.source) {
        error = source.error;
        return {};
    }
    return load_program(source.source, path);
}

LoadedProgram load_program(std::shared_ptr<const SourceFile> source, const std::string& path) {
    return load_program(std::move(source), path, load_source);
}

LoadedProgram load_program(std::shared_ptr<const SourceFile> source, const std::string& path,
                           const SourceReader& read) {
    Loader loader{read, {}, {}, {}};
    loader.load(source, path);
    return std::move(loader.program);
}

const Type& CheckedProgram::type_of(const ast::Expr& expr) const {
    static const Type unknown;
    if (!types_sorted) {
        std::sort(types.begin(), types.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        types_sorted = true;
    }
    auto it = std::lower_bound(types.begin(), types.end(), &expr,
                               [](const auto& entry, const ast::Expr* key) { return entry.first < key; });
    return it != types.end() && it->first == &expr ? it->second : unknown;
}

void Callees::resolve(const ast::Call& call, Callee callee) {
    // An Ident's name is already a view into the pool of interned names, which outlives every tree.
    by_name_.try_emplace(call.callee.name, callee);
}

const Callee* Callees::find(const ast::Call& call) const {
    auto it = by_name_.find(call.callee.name);
    return it == by_name_.end() ? nullptr : &it->second;
}

const Callee& Callees::at(const ast::Call* call) const {
    if (const Callee* callee = find(*call)) {
        return *callee;
    }
    throw std::out_of_range("a call the checker did not resolve");
}

const GlobalValue* CheckedProgram::find_value(std::string_view name) const {
    auto it = value_index.find(name);
    return it == value_index.end() ? nullptr : &values[it->second];
}

const FnInfo* CheckedProgram::find_fn(std::string_view name) const {
    auto it = fn_index.find(name);
    return it == fn_index.end() ? nullptr : &fns[it->second];
}

const StageInfo* CheckedProgram::find_stage(std::string_view name) const {
    auto it = stage_index.find(name);
    return it == stage_index.end() ? nullptr : &stages[it->second];
}

const char* value_kind_name(ValueKind kind) {
    switch (kind) {
    case ValueKind::let: return "let";
    case ValueKind::param: return "param";
    case ValueKind::secret: return "secret";
    }
    return "";
}

} // namespace chain
