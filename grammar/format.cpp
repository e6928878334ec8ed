#include "format.hpp"

#include <fmt/format.h>

namespace chain {

namespace {

constexpr std::size_t line_width = 100;
constexpr int indent_step = 2;

// Binding strength, loosest first, as SPEC.md section 3 nests expr, conj, neg, compare, sum and primary.
enum Precedence { loosest = 0, either = 1, both = 2, negation = 3, comparison = 4, sum = 5, primary = 6 };

Precedence precedence_of(const ast::Expr& expr) {
    if (const auto* infix = std::get_if<ast::Infix>(&expr.node)) {
        switch (infix->ops.front()) {
        case ast::BinaryOp::or_:
        case ast::BinaryOp::pipe: return either;
        case ast::BinaryOp::and_: return both;
        case ast::BinaryOp::equal:
        case ast::BinaryOp::not_equal: return comparison;
        case ast::BinaryOp::plus: return sum;
        }
    }
    return std::holds_alternative<ast::Not>(expr.node) ? negation : primary;
}

const char* operator_text(ast::BinaryOp op) {
    switch (op) {
    case ast::BinaryOp::or_: return "or";
    case ast::BinaryOp::pipe: return "|";
    case ast::BinaryOp::and_: return "and";
    case ast::BinaryOp::equal: return "==";
    case ast::BinaryOp::not_equal: return "!=";
    case ast::BinaryOp::plus: return "+";
    }
    return "";
}

const char* ref_kind_text(ast::RefKind kind) {
    switch (kind) {
    case ast::RefKind::develop: return "develop";
    case ast::RefKind::master: return "master";
    case ast::RefKind::main: return "main";
    case ast::RefKind::feature: return "feature";
    case ast::RefKind::release: return "release";
    case ast::RefKind::hotfix: return "hotfix";
    case ast::RefKind::support: return "support";
    case ast::RefKind::branch: return "branch";
    case ast::RefKind::tag: return "tag";
    }
    return "";
}

std::string type_text(const ast::TypeExpr& type) {
    switch (type.kind) {
    case ast::TypeKind::str: return "str";
    case ast::TypeKind::int_: return "int";
    case ast::TypeKind::bool_: return "bool";
    case ast::TypeKind::duration: return "duration";
    case ast::TypeKind::percent: return "percent";
    case ast::TypeKind::cond: return "cond";
    case ast::TypeKind::list: return "list<" + (type.element ? type_text(**type.element) : std::string()) + ">";
    case ast::TypeKind::artifact: return "artifact<" + type.artifact_kind + ">";
    case ast::TypeKind::target: return "target";
    case ast::TypeKind::record: return "record";
    }
    return "";
}

std::string expr_text(const ast::Expr& expr, Precedence context = loosest);

std::string string_text(const ast::StringLit& literal) {
    std::string out = "\"";
    for (std::size_t i = 0; i < literal.parts.size(); ++i) {
        if (const auto* text = std::get_if<std::string>(&literal.parts[i])) {
            bool interpolation_follows = i + 1 < literal.parts.size();
            out += escaped_string_text(*text, interpolation_follows);
        } else {
            out += "${" + expr_text(*std::get<ast::Box<ast::Expr>>(literal.parts[i])) + "}";
        }
    }
    return out + "\"";
}

std::string joined(const std::vector<std::string>& pieces, std::string_view separator) {
    std::string out;
    for (const std::string& piece : pieces) {
        out += (out.empty() ? "" : std::string(separator)) + piece;
    }
    return out;
}

std::string expr_text(const ast::Expr& expr, Precedence context) {
    Precedence own = precedence_of(expr);
    std::string text = std::visit(
        overloaded{
            [](const ast::StringLit& e) { return string_text(e); },
            [](const ast::IntLit& e) { return std::to_string(e.value); },
            [](const ast::BoolLit& e) { return std::string(e.value ? "true" : "false"); },
            [](const ast::DurationLit& e) { return e.text; },
            [](const ast::PercentLit& e) { return e.text; },
            [](const ast::DecimalLit& e) { return e.text; },
            [](const ast::RefPattern& e) {
                std::string kind = ref_kind_text(e.kind);
                if (e.kind == ast::RefKind::branch || e.kind == ast::RefKind::tag) {
                    return kind + " " + string_literal(e.glob);
                }
                return e.glob.empty() ? kind : kind + "/" + e.glob;
            },
            [](const ast::Name& e) { return std::string(e.ident.name); },
            [](const ast::Member& e) { return std::string(e.object.name) + "." + std::string(e.member.name); },
            [](const ast::Call& e) {
                std::vector<std::string> args;
                for (const ast::Arg& arg : e.args) {
                    args.push_back((arg.label ? std::string(arg.label->name) + ": " : "") + expr_text(*arg.value));
                }
                return std::string(e.callee.name) + "(" + joined(args, ", ") + ")";
            },
            [](const ast::ListExpr& e) {
                std::vector<std::string> items;
                for (const ast::Expr& item : e.items) {
                    items.push_back(expr_text(item));
                }
                return "[" + joined(items, ", ") + "]";
            },
            [](const ast::RecordExpr& e) {
                std::vector<std::string> entries;
                for (const ast::RecordEntry& entry : e.entries) {
                    entries.push_back((entry.key_quoted ? string_literal(entry.key.name) : std::string(entry.key.name)) + ": " +
                                      expr_text(*entry.value));
                }
                return entries.empty() ? std::string("{}") : "{ " + joined(entries, ", ") + " }";
            },
            [own](const ast::Infix& e) {
                // Left-associative: a later operand of the same strength keeps its parentheses.
                std::string out = expr_text(e.operands.front(), own);
                for (std::size_t i = 1; i < e.operands.size(); ++i) {
                    out += fmt::format(" {} {}", operator_text(e.ops[i - 1]),
                                       expr_text(e.operands[i], static_cast<Precedence>(own + 1)));
                }
                return out;
            },
            [](const ast::Not& e) { return "not " + expr_text(*e.operand, negation); },
        },
        expr.node);
    return own < context ? "(" + text + ")" : text;
}

std::string clause_text(const ast::Clause& clause) {
    return std::visit(
        overloaded{
            [](const ast::NeedsClause& c) {
                std::vector<std::string> names;
                for (const ast::Ident& stage : c.stages) {
                    names.push_back(std::string(stage.name));
                }
                return "needs " + joined(names, ", ");
            },
            [](const ast::WhenClause& c) { return "when " + expr_text(c.condition); },
            [](const ast::MatrixClause& c) { return "matrix " + std::string(c.variable.name) + " in " + expr_text(*c.values); },
            [](const ast::InputsClause& c) {
                std::vector<std::string> patterns;
                for (const ast::Expr& pattern : c.patterns) {
                    patterns.push_back(expr_text(pattern));
                }
                return "inputs " + joined(patterns, ", ");
            },
            [](const ast::TimeoutClause& c) { return "timeout " + expr_text(c.duration); },
            [](const ast::RetryClause& c) { return "retry " + expr_text(c.count); },
            [](const ast::ManualClause&) { return std::string("manual"); },
            [](const ast::EnvClause& c) { return "env " + expr_text(c.variables); },
            [](const ast::AllowFailureClause&) { return std::string("allow_failure"); },
        },
        clause.node);
}

class Printer {
  public:
    Printer(const ast::File& file, const SourceFile& source) : file_(file), source_(source) {}

    std::string print() {
        if (file_.header) {
            const ast::Header& header = *file_.header;
            comments_before(header.range.begin, 0);
            line(0, "pipeline " + (header.name_quoted ? string_literal(header.name) : header.name) +
                        (header.kind ? " kind " + std::string(header.kind->name) : ""));
            done_with(header.range.end);
        }
        bool previous_large = false;
        for (const ast::Decl& decl : file_.decls) {
            bool large = std::holds_alternative<ast::Stage>(decl.node) || std::holds_alternative<ast::Fn>(decl.node);
            // A stage or fn stands apart, with a blank line before and after it.
            if (!out_.empty() && (large || previous_large)) {
                blank_line();
            }
            comments_before(decl.range.begin, 0);
            keep_blank_line(decl.range.begin);
            declaration(decl);
            done_with(decl.range.end);
            previous_large = large;
        }
        comments_before(static_cast<std::uint32_t>(source_.text().size()) + 1, 0);
        return out_;
    }

  private:
    void line(int indent, const std::string& text) { out_ += std::string(static_cast<std::size_t>(indent), ' ') + text + "\n"; }

    void blank_line() {
        if (!out_.empty() && !out_.ends_with("\n\n") && !out_.ends_with("{\n")) {
            out_ += "\n";
        }
    }

    /// One blank line where the source has one or more between what was printed last and `begin`.
    void keep_blank_line(std::uint32_t begin) {
        if (last_end_ == 0 || begin <= last_end_) {
            return;
        }
        std::string_view between = std::string_view(source_.text()).substr(last_end_, begin - last_end_);
        for (std::size_t newline = between.find('\n'); newline != std::string_view::npos;) {
            std::size_t next = between.find('\n', newline + 1);
            if (next == std::string_view::npos) {
                return;
            }
            if (between.substr(newline + 1, next - newline - 1).find_first_not_of(" \t\r") == std::string_view::npos) {
                blank_line();
                return;
            }
            newline = next;
        }
    }

    void comments_before(std::uint32_t offset, int indent) {
        while (next_comment_ < file_.comments.size() && file_.comments[next_comment_].range.begin < offset) {
            const ast::Comment& comment = file_.comments[next_comment_++];
            keep_blank_line(comment.range.begin);
            line(indent, comment.text);
            last_end_ = comment.range.end;
        }
    }

    /// After printing what ended at `end`: a comment on its last line goes on the printed line too.
    void done_with(std::uint32_t end) {
        last_end_ = std::max(last_end_, end);
        if (next_comment_ < file_.comments.size()) {
            const ast::Comment& comment = file_.comments[next_comment_];
            if (comment.range.begin >= end && source_.position(comment.range.begin).line == source_.position(end).line) {
                out_.pop_back();
                out_ += "  " + comment.text + "\n";
                last_end_ = comment.range.end;
                ++next_comment_;
            }
        }
    }

    void declaration(const ast::Decl& decl) {
        std::visit(overloaded{
                       [&](const ast::Import& d) { line(0, "import " + expr_text(d.path)); },
                       [&](const ast::Let& d) { wrapped(0, let_head(d), d.value, ""); },
                       [&](const ast::Param& d) {
                           line(0, "param " + std::string(d.name.name) + ": " + type_text(d.type) +
                                       (d.default_value ? " = " + expr_text(*d.default_value) : ""));
                       },
                       [&](const ast::Secret& d) { line(0, "secret " + std::string(d.name.name) + " = env(" + expr_text(d.variable) + ")"); },
                       [&](const ast::Fn& d) {
                           std::vector<std::string> params;
                           for (const ast::FnParam& param : d.params) {
                               params.push_back(std::string(param.name.name) + ": " + type_text(param.type));
                           }
                           block("fn " + std::string(d.name.name) + "(" + joined(params, ", ") + ")", d.body, 0);
                       },
                       [&](const ast::Stage& d) { stage(d); },
                   },
                   decl.node);
    }

    static std::string let_head(const ast::Let& let) {
        return "let " + std::string(let.name.name) + (let.type ? ": " + type_text(*let.type) : "") + " = ";
    }

    /// `prefix EXPR suffix` on one line when it fits; else a call's arguments or a list's items one a line,
    /// each with a trailing comma, as black lays out Python.
    void wrapped(int indent, const std::string& prefix, const ast::Expr& expr, const std::string& suffix) {
        std::string flat = prefix + expr_text(expr) + suffix;
        const auto* call = std::get_if<ast::Call>(&expr.node);
        const auto* list = std::get_if<ast::ListExpr>(&expr.node);
        if (static_cast<std::size_t>(indent) + flat.size() <= line_width || (!call && !list) ||
            (call && call->args.empty()) || (list && list->items.empty())) {
            line(indent, flat);
            return;
        }
        line(indent, prefix + (call ? std::string(call->callee.name) + "(" : "["));
        if (call) {
            for (const ast::Arg& arg : call->args) {
                line(indent + indent_step, (arg.label ? std::string(arg.label->name) + ": " : "") + expr_text(*arg.value) + ",");
            }
        } else {
            for (const ast::Expr& item : list->items) {
                line(indent + indent_step, expr_text(item) + ",");
            }
        }
        line(indent, (call ? ")" : "]") + suffix);
    }

    void stage(const ast::Stage& stage) {
        std::vector<std::string> clauses;
        for (const ast::Clause& clause : stage.clauses) {
            clauses.push_back(clause_text(clause));
        }
        std::string head = "stage " + std::string(stage.name.name) + (clauses.empty() ? "" : " " + joined(clauses, " "));
        if (head.size() + 2 <= line_width) {
            block(head, stage.body, 0);
            return;
        }
        // Too long for one line: a clause a line, and the body's brace on a line of its own.
        line(0, "stage " + std::string(stage.name.name));
        for (const std::string& clause : clauses) {
            line(indent_step, clause);
        }
        block("", stage.body, 0);
    }

    /// `head {`, the statements one level in, `}`; an empty block is `head {}`.
    void block(const std::string& head, const ast::Block& body, int indent) {
        bool has_comments = next_comment_ < file_.comments.size() &&
                            file_.comments[next_comment_].range.begin < body.range.end;
        if (body.stmts.empty() && !has_comments) {
            line(indent, (head.empty() ? "" : head + " ") + "{}");
            return;
        }
        open_block(head, body, indent);
        line(indent, "}");
    }

    /// A block without its closing brace, which `} else {` shares.
    void open_block(const std::string& head, const ast::Block& body, int indent) {
        line(indent, head.empty() ? "{" : head + " {");
        last_end_ = std::max(last_end_, body.range.begin + 1);
        for (const ast::Stmt& stmt : body.stmts) {
            comments_before(stmt.range.begin, indent + indent_step);
            keep_blank_line(stmt.range.begin);
            statement(stmt, indent + indent_step);
            done_with(stmt.range.end);
        }
        comments_before(body.range.end - 1, indent + indent_step);
    }

    void statement(const ast::Stmt& stmt, int indent) {
        std::visit(overloaded{
                       [&](const ast::ArtifactStmt& s) { wrapped(indent, "artifact " + std::string(s.name.name) + " = ", s.value, ""); },
                       [&](const ast::Let& s) { wrapped(indent, let_head(s), s.value, ""); },
                       [&](const ast::WhenStmt& s) {
                           open_block("when " + expr_text(s.condition), s.then_block, indent);
                           if (s.else_block) {
                               open_block("} else", *s.else_block, indent);
                           }
                           line(indent, "}");
                       },
                       [&](const ast::CallStmt& s) {
                           if (s.block) {
                               block(expr_text(s.call), *s.block, indent);
                           } else {
                               wrapped(indent, "", s.call, "");
                           }
                       },
                   },
                   stmt.node);
    }

    const ast::File& file_;
    const SourceFile& source_;
    std::string out_;
    std::size_t next_comment_ = 0;
    std::uint32_t last_end_ = 0;
};

} // namespace

std::string format_file(const ast::File& file, const SourceFile& source) { return Printer(file, source).print(); }

} // namespace chain
