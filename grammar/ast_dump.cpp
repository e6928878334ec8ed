#include "ast_dump.hpp"

#include <fmt/format.h>

namespace chain::ast {

namespace {

std::string dump_type(const TypeExpr& type) {
    switch (type.kind) {
    case TypeKind::str: return "str";
    case TypeKind::int_: return "int";
    case TypeKind::bool_: return "bool";
    case TypeKind::duration: return "duration";
    case TypeKind::percent: return "percent";
    case TypeKind::cond: return "cond";
    case TypeKind::list: return fmt::format("list<{}>", dump_type(**type.element));
    case TypeKind::artifact: return fmt::format("artifact<{}>", type.artifact_kind);
    case TypeKind::target: return "target";
    case TypeKind::record: return "record";
    }
    return "?";
}

const char* ref_kind_name(RefKind kind) {
    static constexpr const char* names[] = {"develop", "master",  "main",   "feature", "release",
                                            "hotfix",  "support", "branch", "tag"};
    return names[static_cast<int>(kind)];
}

const char* binary_op_name(BinaryOp op) {
    static constexpr const char* names[] = {"or", "|", "and", "==", "!=", "+"};
    return names[static_cast<int>(op)];
}

std::string dump_list(const std::vector<Expr>& items) {
    std::string out;
    for (const Expr& item : items) {
        out += " " + dump(item);
    }
    return out;
}

std::string dump_block(const Block& block);

std::string dump_stmt(const Stmt& stmt) {
    return std::visit(
        overloaded{
            [](const ArtifactStmt& s) { return fmt::format("(artifact {} {})", s.name.name, dump(s.value)); },
            [](const Let& s) {
                return fmt::format("(let {}{} {})", s.name.name, s.type ? ":" + dump_type(*s.type) : "",
                                   dump(s.value));
            },
            [](const WhenStmt& s) {
                return fmt::format("(when {} {}{})", dump(s.condition), dump_block(s.then_block),
                                   s.else_block ? " else " + dump_block(*s.else_block) : "");
            },
            [](const CallStmt& s) {
                return fmt::format("{}{}", dump(s.call), s.block ? " " + dump_block(*s.block) : "");
            },
        },
        stmt.node);
}

std::string dump_block(const Block& block) {
    std::string out = "{";
    for (const Stmt& stmt : block.stmts) {
        out += " " + dump_stmt(stmt);
    }
    return out + " }";
}

std::string dump_clause(const Clause& clause) {
    return std::visit(overloaded{
                          [](const NeedsClause& c) {
                              std::string out = "(needs";
                              for (const Ident& stage : c.stages) {
                                  out += " " + std::string(stage.name);
                              }
                              return out + ")";
                          },
                          [](const WhenClause& c) { return fmt::format("(when {})", dump(c.condition)); },
                          [](const MatrixClause& c) {
                              return fmt::format("(matrix {} {})", c.variable.name, dump(*c.values));
                          },
                          [](const InputsClause& c) { return fmt::format("(inputs{})", dump_list(c.patterns)); },
                          [](const TimeoutClause& c) { return fmt::format("(timeout {})", dump(c.duration)); },
                          [](const RetryClause& c) { return fmt::format("(retry {})", dump(c.count)); },
                          [](const ManualClause&) { return std::string("(manual)"); },
                          [](const EnvClause& c) { return fmt::format("(env {})", dump(c.variables)); },
                          [](const AllowFailureClause&) { return std::string("(allow_failure)"); },
                      },
                      clause.node);
}

std::string dump_decl(const Decl& decl) {
    return std::visit(
        overloaded{
            [](const Import& d) { return fmt::format("(import {})", dump(d.path)); },
            [](const Let& d) {
                return fmt::format("(let {}{} {})", d.name.name, d.type ? ":" + dump_type(*d.type) : "",
                                   dump(d.value));
            },
            [](const Param& d) {
                return fmt::format("(param {}:{}{})", d.name.name, dump_type(d.type),
                                   d.default_value ? " " + dump(*d.default_value) : "");
            },
            [](const Secret& d) { return fmt::format("(secret {} {})", d.name.name, dump(d.variable)); },
            [](const Fn& d) {
                std::string params;
                for (const FnParam& param : d.params) {
                    params += fmt::format(" {}:{}", param.name.name, dump_type(param.type));
                }
                return fmt::format("(fn {} ({}) {})", d.name.name, params.empty() ? "" : params.substr(1),
                                   dump_block(d.body));
            },
            [](const Stage& d) {
                std::string clauses;
                for (const Clause& clause : d.clauses) {
                    clauses += " " + dump_clause(clause);
                }
                return fmt::format("(stage {}{} {})", d.name.name, clauses, dump_block(d.body));
            },
        },
        decl.node);
}

} // namespace

std::string dump(const Expr& expr) {
    return std::visit(
        overloaded{
            [](const StringLit& e) {
                if (e.parts.size() == 1 && std::holds_alternative<std::string>(e.parts[0])) {
                    return string_literal(std::get<std::string>(e.parts[0]));
                }
                std::string out = "(str";
                for (const StringPart& part : e.parts) {
                    if (const auto* text = std::get_if<std::string>(&part)) {
                        out += " " + string_literal(*text);
                    } else {
                        out += " (${} " + dump(*std::get<Box<Expr>>(part)) + ")";
                    }
                }
                return out + ")";
            },
            [](const IntLit& e) { return std::to_string(e.value); },
            [](const BoolLit& e) { return std::string(e.value ? "true" : "false"); },
            [](const DurationLit& e) { return fmt::format("(duration {}ms)", e.milliseconds); },
            [](const PercentLit& e) { return fmt::format("(percent {})", e.value); },
            [](const DecimalLit& e) { return fmt::format("(decimal {})", e.text); },
            [](const RefPattern& e) {
                if (e.kind == RefKind::branch || e.kind == RefKind::tag) {
                    return fmt::format("(ref {} {})", ref_kind_name(e.kind), string_literal(e.glob));
                }
                return e.glob.empty() ? fmt::format("(ref {})", ref_kind_name(e.kind))
                                      : fmt::format("(ref {}/{})", ref_kind_name(e.kind), e.glob);
            },
            [](const Name& e) { return std::string(e.ident.name); },
            [](const Member& e) { return fmt::format("(. {} {})", e.object.name, e.member.name); },
            [](const Call& e) {
                std::string out = "(call " + std::string(e.callee.name);
                for (const Arg& arg : e.args) {
                    out += arg.label ? fmt::format(" {}:{}", arg.label->name, dump(*arg.value)) : " " + dump(*arg.value);
                }
                return out + ")";
            },
            [](const ListExpr& e) { return fmt::format("[{}]", dump_list(e.items).substr(e.items.empty() ? 0 : 1)); },
            [](const RecordExpr& e) {
                std::string out = "(record";
                for (const RecordEntry& entry : e.entries) {
                    out += fmt::format(" {}:{}", entry.key_quoted ? string_literal(entry.key.name) : entry.key.name,
                                       dump(*entry.value));
                }
                return out + ")";
            },
            [](const Infix& e) {
                // As nested pairs, the way the operators associate: `a + b + c` is (+ (+ a b) c).
                std::string out;
                for (auto op = e.ops.rbegin(); op != e.ops.rend(); ++op) {
                    out += fmt::format("({} ", binary_op_name(*op));
                }
                out += dump(e.operands.front());
                for (std::size_t i = 1; i < e.operands.size(); ++i) {
                    out += " " + dump(e.operands[i]) + ")";
                }
                return out;
            },
            [](const Not& e) { return fmt::format("(not {})", dump(*e.operand)); },
        },
        expr.node);
}

std::string dump(const File& file) {
    std::string out;
    if (file.header) {
        out += fmt::format("(pipeline {}{})\n", file.header->name_quoted ? string_literal(file.header->name) : file.header->name,
                           file.header->kind ? " " + std::string(file.header->kind->name) : "");
    }
    for (const Decl& decl : file.decls) {
        out += dump_decl(decl) + "\n";
    }
    return out;
}

} // namespace chain::ast
