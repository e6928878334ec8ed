// Names: the locals of a block and the scopes around it, what a name or `stage.artifact` stands for, the
// stages `needs` names, and which names are used.

#include "hints.hpp"
#include "interpreter/edit_distance.hpp"
#include "types.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace chain::checker {

namespace {

bool has_matrix(const ast::Stage& stage) {
    return std::any_of(stage.clauses.begin(), stage.clauses.end(), [](const ast::Clause& clause) {
        return std::holds_alternative<ast::MatrixClause>(clause.node);
    });
}

} // namespace

Local* Scope::find(std::string_view name) {
    for (Scope* scope = this; scope; scope = scope->parent) {
        for (Local& local : scope->locals) {
            if (local.name == name) {
                return &local;
            }
        }
    }
    return nullptr;
}

std::vector<std::string_view> Typer::visible_names(Scope& scope, const Owner& owner) const {
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

Type Typer::type_of_name(const ast::Ident& ident, Scope& scope, const Owner& owner) {
    if (Local* local = scope.find(ident.name)) {
        local->used = true;
        return local->type;
    }
    if (owner.stage) {
        const auto& artifacts = out_.stages[*owner.stage].artifacts;
        if (auto it = artifacts.find(std::string(ident.name)); it != artifacts.end()) {
            if (!quiet()) {
                context_.artifact_used.emplace(*owner.stage, ident.name);
                if (!made_artifacts_.count(std::string(ident.name))) {
                    error(owner.file, ident.range, "E0224",
                          fmt::format("artifact '{}' is used before the step that makes it", ident.name),
                          fmt::format("made at {}", context_.where(owner.file, it->second.name_range)));
                }
            }
            return it->second.type;
        }
    }
    if (auto it = out_.value_index.find(ident.name); it != out_.value_index.end()) {
        if (!quiet()) {
            context_.value_used[it->second] = true;
        }
        return type_global(it->second);
    }
    if (out_.stage_index.contains(ident.name)) {
        std::string pattern = ref_pattern_hint(std::string(ident.name));
        error(owner.file, ident.range, "E0218", fmt::format("stage '{}' is not a value", ident.name),
              fmt::format("use one of its artifacts, like {}.NAME, or list it in 'needs'{}", ident.name,
                          pattern.empty() ? "" : "; " + pattern));
        return Type{};
    }
    if (quiet()) {
        return Type{}; // the loud pass reports it, with its suggestions
    }
    if (out_.fn_index.contains(ident.name) || registry_.find(std::string(ident.name))) {
        error(owner.file, ident.range, "E0218", fmt::format("'{}' is a function, not a value", ident.name),
              fmt::format("call it: {}(...)", ident.name));
        return Type{};
    }
    std::string pattern = ref_pattern_hint(std::string(ident.name));
    error(owner.file, ident.range, "E0201", fmt::format("unknown name '{}'", ident.name),
          !pattern.empty() ? pattern : did_you_mean(closest_name(ident.name, visible_names(scope, owner))));
    return Type{};
}

std::vector<std::string_view> Typer::stage_names() const {
    std::vector<std::string_view> names;
    for (const StageInfo& stage : out_.stages) {
        names.push_back(stage.name);
    }
    return names;
}

Type Typer::type_of_member(const ast::Member& member, SourceRange range, const Owner& owner) {
    auto it = out_.stage_index.find(member.object.name);
    if (it == out_.stage_index.end()) {
        if (auto value = out_.value_index.find(member.object.name);
            value != out_.value_index.end()) {
            if (!quiet()) {
                context_.value_used[value->second] = true;
            }
            error(owner.file, member.object.range, "E0311",
                  fmt::format("'{}' is not a stage: only stages have members (their artifacts)",
                              member.object.name));
        } else {
            error(owner.file, member.object.range, "E0202",
                  fmt::format("unknown stage '{}'", member.object.name),
                  did_you_mean(closest_name(member.object.name, stage_names())));
        }
        return Type{};
    }
    std::size_t target = it->second;
    const StageInfo& stage = out_.stages[target];
    if (owner.stage && *owner.stage == target) {
        if (!quiet()) {
            context_.artifact_used.emplace(target, member.member.name);
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
    auto artifact = stage.artifacts.find(std::string(member.member.name));
    if (artifact == stage.artifacts.end()) {
        if (!quiet()) {
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
    if (!quiet()) {
        context_.artifact_used.emplace(target, member.member.name);
        NeedRef need{target, range, owner.file};
        if (owner.stage) {
            context_.needs[*owner.stage].push_back(need);
        } else {
            fn_stage_refs_[*owner.fn].push_back(need);
        }
    }
    Type type = artifact->second.type;
    return stage.decl && has_matrix(*stage.decl) ? Type::list_of(type) : type;
}

void Typer::bind_local(Scope& scope, Local local, const ProgramFile* file) {
    for (const Local& existing : scope.locals) {
        if (existing.name == local.name) {
            error(file, local.range, "E0208",
                  fmt::format("'{}' is already defined in this block as a {}", local.name, existing.what));
            return;
        }
    }
    // What it hides is known only here, with the scopes as they are now; the lints report it.
    if (const Local* outer = scope.parent ? scope.parent->find(local.name) : nullptr) {
        local.shadows = outer->what;
    } else if (auto it = out_.value_index.find(local.name); it != out_.value_index.end()) {
        local.shadows = value_kind_name(out_.values[it->second].kind);
    }
    local.file = file;
    scope.locals.push_back(std::move(local));
}

void Typer::retire(Scope& scope) {
    if (!quiet()) {
        for (Local& local : scope.locals) {
            // Only what the lints report is kept: the locals of every body were 20,000 of 10,000 stages.
            if (local.reported()) {
                context_.finished_locals.push_back(std::move(local));
            }
        }
    }
}

void Typer::resolve_need(std::size_t index, const ast::Ident& needed, const ProgramFile* file) {
    if (quiet()) {
        return;
    }
    auto it = out_.stage_index.find(needed.name);
    if (it == out_.stage_index.end()) {
        error(file, needed.range, "E0202", fmt::format("unknown stage '{}'", needed.name),
              did_you_mean(closest_name(needed.name, stage_names())));
        return;
    }
    if (it->second == index) {
        error(file, needed.range, "E0402", fmt::format("stage '{}' needs itself", needed.name));
        return;
    }
    context_.needs[index].push_back(NeedRef{it->second, needed.range, file});
}

} // namespace chain::checker
