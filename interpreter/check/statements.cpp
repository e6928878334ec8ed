// Statements and clauses: the bodies of fns and stages, block by block, the artifacts they make, and the
// clauses of each stage.

#include "types.hpp"

#include <fmt/format.h>

namespace chain::checker {

/// The first, quiet pass: only the artifacts a body names, and those its fn calls bring.
void Typer::collect_artifacts(const ast::Block& block, const Owner& owner) {
    Scope scope;
    for (const ast::Stmt& stmt : block.stmts) {
        if (const auto* artifact = std::get_if<ast::ArtifactStmt>(&stmt.node)) {
            Type type = type_of(artifact->value, scope, owner);
            if (type.kind != Type::artifact) {
                type = Type{};
            }
            if (owner.stage) {
                add_artifact(*owner.stage, std::string(artifact->name.name), type, artifact->name.range,
                             owner.file);
            } else {
                out_.fns[*owner.fn].artifacts[std::string(artifact->name.name)] = type;
            }
        } else if (const auto* when = std::get_if<ast::WhenStmt>(&stmt.node)) {
            collect_artifacts(when->then_block, owner);
            if (when->else_block) {
                collect_artifacts(*when->else_block, owner);
            }
        } else if (const auto* call_stmt = std::get_if<ast::CallStmt>(&stmt.node)) {
            const auto& call = std::get<ast::Call>(call_stmt->call.node);
            auto fn = out_.fn_index.find(call.callee.name);
            if (fn != out_.fn_index.end() && owner.stage) {
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

void Typer::add_artifact(std::size_t stage, const std::string& name, Type type, SourceRange range,
                         const ProgramFile* file) {
    made_artifacts_.insert(name);
    auto& artifacts = out_.stages[stage].artifacts;
    auto [it, inserted] = artifacts.emplace(name, ArtifactInfo{type, range});
    if (!inserted) {
        if (!quiet() && it->second.name_range != range) {
            error(file, range, "E0207",
                  fmt::format("stage '{}' already has an artifact '{}'", out_.stages[stage].name, name),
                  fmt::format("first named at {}", context_.where(file, it->second.name_range)));
        }
        it->second.type = type;
    }
}

void Typer::check_block(const ast::Block& block, Scope& parent, const Owner& owner) {
    Scope scope{&parent, {}};
    for (const ast::Stmt& stmt : block.stmts) {
        check_stmt(stmt, scope, owner);
    }
    retire(scope);
}

void Typer::check_stmt(const ast::Stmt& stmt, Scope& scope, const Owner& owner) {
    const ProgramFile* file = owner.file;
    std::visit(
        overloaded{
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
                    add_artifact(*owner.stage, std::string(artifact.name.name), type, artifact.name.range,
                                 file);
                } else if (owner.fn) {
                    out_.fns[*owner.fn].artifacts[std::string(artifact.name.name)] = type;
                    bind_local(scope,
                               Local{std::string(artifact.name.name), type, artifact.name.range, "artifact"},
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
                    no_value_check(type, let.value, std::string(let.name.name), file);
                }
                if (let.type) {
                    Type declared = Type::from_ast(*let.type);
                    expect(type, declared, file, let.value.range, fmt::format("let '{}'", let.name.name));
                    type = declared;
                }
                bind_local(scope, Local{std::string(let.name.name), type, let.name.range, "let"}, file);
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
                Type result =
                    check_call(call, call_stmt.call.range, scope, owner, call_stmt.block.has_value());
                record_type(call_stmt.call, result);
                if (call_stmt.block) {
                    check_block(*call_stmt.block, scope, owner);
                }
            },
        },
        stmt.node);
}

void Typer::check_condition(const ast::Expr& condition, Scope& scope, const Owner& owner) {
    Type type = type_of(condition, scope, owner);
    if (!is_condition(type)) {
        error(owner.file, condition.range, "E0304",
              fmt::format("'when' needs a cond or bool, found {}", to_string(type)),
              type.kind == Type::str ? "compare it: ref() == \"develop\", or use a ref pattern like develop"
                                     : "");
    }
}

void Typer::check_fn_bodies() {
    for (std::size_t i = 0; i < out_.fns.size(); ++i) {
        const FnInfo& fn = out_.fns[i];
        Scope scope;
        for (std::size_t p = 0; p < fn.decl->params.size(); ++p) {
            if (scope.find(fn.decl->params[p].name.name)) {
                continue; // reported with the fn's declaration
            }
            bind_local(scope,
                       Local{std::string(fn.decl->params[p].name.name), fn.param_types[p],
                             fn.decl->params[p].name.range, "parameter"},
                       fn.file);
        }
        check_block(fn.decl->body, scope, Owner{std::nullopt, i, fn.file});
        retire(scope);
    }
}

void Typer::check_stage_bodies() {
    for (std::size_t i = 0; i < out_.stages.size(); ++i) {
        check_stage(i);
    }
}

void Typer::check_stage(std::size_t index) {
    StageInfo& stage = out_.stages[index];
    made_artifacts_.clear();
    Scope scope;
    std::set<std::string> clause_seen;
    for (const ast::Clause& clause : stage.decl->clauses) {
        check_clause(clause, index, scope, clause_seen);
    }
    check_block(stage.decl->body, scope, Owner{index, std::nullopt, stage.file});
    retire(scope);
}

/// A clause of the stage at `index`; `seen` holds the keywords of the clauses before it.
void Typer::check_clause(const ast::Clause& clause, std::size_t index, Scope& scope,
                         std::set<std::string>& seen) {
    StageInfo& stage = out_.stages[index];
    const ProgramFile* file = stage.file;
    Owner owner{index, std::nullopt, file};
    std::visit(overloaded{
                   [&](const ast::NeedsClause& needs) {
                       context_.needs[index].reserve(context_.needs[index].size() + needs.stages.size());
                       for (const ast::Ident& needed : needs.stages) {
                           resolve_need(index, needed, file);
                       }
                   },
                   [&](const ast::WhenClause& when) {
                       if (single_clause(seen, "when", clause.range, stage, file)) {
                           stage.condition = &when.condition;
                       }
                       check_condition(when.condition, scope, owner);
                   },
                   [&](const ast::MatrixClause& matrix) {
                       single_clause(seen, "matrix", clause.range, stage, file);
                       check_matrix(matrix, index, scope);
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
                       single_clause(seen, "timeout", clause.range, stage, file);
                       const auto& duration = std::get<ast::DurationLit>(timeout.duration.node);
                       if (duration.milliseconds == 0) {
                           error(file, timeout.duration.range, "E0310",
                                 "a timeout of zero never lets a step run");
                       }
                       stage.timeout_ms = duration.milliseconds;
                   },
                   [&](const ast::RetryClause& retry) {
                       single_clause(seen, "retry", clause.range, stage, file);
                       stage.retries = std::get<ast::IntLit>(retry.count.node).value;
                   },
                   [&](const ast::ManualClause&) {
                       single_clause(seen, "manual", clause.range, stage, file);
                       stage.manual = true;
                   },
                   [&](const ast::EnvClause& env) {
                       if (single_clause(seen, "env", clause.range, stage, file)) {
                           stage.env = &env.variables;
                       }
                       check_environment(env.variables, scope, owner);
                   },
                   [&](const ast::AllowFailureClause&) {
                       single_clause(seen, "allow_failure", clause.range, stage, file);
                       stage.allow_failure = true;
                   },
               },
               clause.node);
}

void Typer::check_matrix(const ast::MatrixClause& matrix, std::size_t index, Scope& scope) {
    StageInfo& stage = out_.stages[index];
    const ProgramFile* file = stage.file;
    stage.matrix = &matrix;
    Type values = type_of(*matrix.values, scope, Owner{index, std::nullopt, file});
    Type element;
    if (values.kind == Type::list) {
        element = values.element_type();
    } else if (values.kind != Type::unknown) {
        error(file, matrix.values->range, "E0306",
              fmt::format("a matrix runs over a list, found {}", to_string(values)),
              fmt::format("like matrix {} in [\"a\", \"b\"]", matrix.variable.name));
    }
    bind_local(scope,
               Local{std::string(matrix.variable.name), element, matrix.variable.range, "matrix variable"},
               file);
}

bool Typer::single_clause(std::set<std::string>& seen, const std::string& keyword, SourceRange range,
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

} // namespace chain::checker
