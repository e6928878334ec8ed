// The only translation unit that includes PEGTL: it runs the rules of rules.hpp with the actions below,
// which build the AST on typed stacks, and turns every failed must<> into a Diagnostic.

#include "parser.hpp"

#include "errors.hpp"
#include "rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

namespace chain {

namespace {

namespace peg = tao::pegtl;
using namespace ast;

/// A syntax error found while matching; caught per declaration.
struct SyntaxError {
    const char* code;
    std::string message;
    std::string hint;
    std::uint32_t begin;
    std::uint32_t end;
    std::vector<DiagnosticNote> notes = {};
};

/// How the text that is being parsed is named in messages ("stage 'build'", "the call of 'test'").
enum class FrameStyle { named, body_of_parent, block_of_statement_call, call_of_last_name };

struct FrameKind {
    const char* title = nullptr;
    FrameStyle style = FrameStyle::named;
};

struct Frame {
    FrameKind kind;
    std::string_view name;
    std::uint32_t begin = 0;
};

template <typename Rule> inline constexpr FrameKind frame_kind{};
template <> inline constexpr FrameKind frame_kind<rules::stage>{"stage"};
template <> inline constexpr FrameKind frame_kind<rules::fn>{"fn"};
template <> inline constexpr FrameKind frame_kind<rules::let>{"let"};
template <> inline constexpr FrameKind frame_kind<rules::param>{"param"};
template <> inline constexpr FrameKind frame_kind<rules::secret>{"secret"};
template <> inline constexpr FrameKind frame_kind<rules::artifact_stmt>{"artifact"};
template <> inline constexpr FrameKind frame_kind<rules::fn_param>{"parameter"};
template <> inline constexpr FrameKind frame_kind<rules::matrix_clause>{"matrix"};
template <> inline constexpr FrameKind frame_kind<rules::call_arguments>{"the call of", FrameStyle::call_of_last_name};
template <> inline constexpr FrameKind frame_kind<rules::keyword_argument>{"argument"};
template <> inline constexpr FrameKind frame_kind<rules::record_entry>{"the key"};
template <> inline constexpr FrameKind frame_kind<rules::string_literal>{"the string"};
template <> inline constexpr FrameKind frame_kind<rules::stage_body>{"the body of", FrameStyle::body_of_parent};
template <> inline constexpr FrameKind frame_kind<rules::fn_body>{"the body of", FrameStyle::body_of_parent};
template <> inline constexpr FrameKind frame_kind<rules::when_block>{"the block of 'when'"};
template <> inline constexpr FrameKind frame_kind<rules::else_block>{"the block of 'else'"};
template <> inline constexpr FrameKind frame_kind<rules::trailing_block>{
    "the block of", FrameStyle::block_of_statement_call};

/// Rules that nest; their depth is bounded so that deeply nested input cannot exhaust the stack.
template <typename Rule>
inline constexpr bool nests = std::is_same_v<Rule, rules::primary> || std::is_same_v<Rule, rules::negation> ||
                              std::is_same_v<Rule, rules::block>;
constexpr int max_nesting = 200;

/// Error points where a name is expected: a reserved word there gets a hint of its own.
template <typename Rule>
inline constexpr bool expects_name =
    std::is_same_v<Rule, rules::let_name> || std::is_same_v<Rule, rules::param_name> ||
    std::is_same_v<Rule, rules::secret_name> || std::is_same_v<Rule, rules::fn_name> ||
    std::is_same_v<Rule, rules::stage_name> || std::is_same_v<Rule, rules::artifact_name> ||
    std::is_same_v<Rule, rules::first_fn_param> || std::is_same_v<Rule, rules::next_fn_param> ||
    std::is_same_v<Rule, rules::matrix_variable> || std::is_same_v<Rule, rules::needed_stage>;

/// An escape or an interpolation with where it stands, so that a string literal can collect its own pieces;
/// the plain text between them is read from the source when the literal is complete.
struct PendingPart {
    std::uint32_t begin;
    std::uint32_t end;
    StringPart part;
};

/// An operator between two operands, with where it stands, until the operands are joined.
struct PendingOp {
    std::uint32_t begin;
    BinaryOp op;
};

/// Everything the actions build: a stack per kind of node; a construct takes the nodes that begin inside it.
struct ParseState {
    ParseState(const SourceFile& file) : source(file), base(file.text().data()) {}

    const SourceFile& source;
    const char* base;
    std::vector<Frame> frames;
    int depth = 0;
    std::string_view statement_callee;

    std::vector<Ident> idents;
    std::vector<Expr> exprs;
    std::vector<Arg> args;
    std::vector<RecordEntry> entries;
    std::vector<PendingPart> parts;
    std::vector<PendingOp> ops;
    std::vector<TypeExpr> types;
    std::vector<Stmt> stmts;
    std::vector<Block> blocks;
    std::vector<Clause> clauses;
    std::vector<FnParam> fn_params;
    std::vector<Decl> decls;
    std::optional<Header> header;
    std::vector<Comment> comments;
    /// Errors that do not stop parsing: what was meant is clear, so the node is built and parsing goes on.
    std::vector<SyntaxError> reported;

    void report(SyntaxError error) {
        // A rule that backtracks may match the same text twice; its error is reported once.
        for (const SyntaxError& known : reported) {
            if (known.begin == error.begin) {
                return;
            }
        }
        reported.push_back(std::move(error));
    }

    void reset() {
        frames.clear();
        depth = 0;
        idents.clear();
        exprs.clear();
        args.clear();
        entries.clear();
        parts.clear();
        ops.clear();
        types.clear();
        stmts.clear();
        blocks.clear();
        clauses.clear();
        fn_params.clear();
    }

    std::string describe(std::size_t index) const {
        const Frame& frame = frames[index];
        switch (frame.kind.style) {
        case FrameStyle::body_of_parent:
            return index > 0 ? fmt::format("{} {}", frame.kind.title, describe(index - 1)) : frame.kind.title;
        case FrameStyle::block_of_statement_call:
        case FrameStyle::call_of_last_name:
            return fmt::format("{} '{}'", frame.kind.title, frame.name);
        case FrameStyle::named:
            break;
        }
        if (frame.name.empty()) {
            return frame.kind.title;
        }
        return fmt::format("{} '{}'", frame.kind.title, frame.name);
    }

    std::string innermost() const { return frames.empty() ? std::string("the file") : describe(frames.size() - 1); }
};

template <typename Input> std::uint32_t begin_offset(const Input& in, const ParseState& state) {
    return static_cast<std::uint32_t>(in.begin() - state.base);
}
template <typename Input> SourceRange range_of(const Input& in, const ParseState& state) {
    return {begin_offset(in, state), static_cast<std::uint32_t>(in.end() - state.base)};
}

std::uint32_t begin_of(const Ident& x) { return x.range.begin; }
std::uint32_t begin_of(const Expr& x) { return x.range.begin; }
std::uint32_t begin_of(const Stmt& x) { return x.range.begin; }
std::uint32_t begin_of(const Block& x) { return x.range.begin; }
std::uint32_t begin_of(const Clause& x) { return x.range.begin; }
std::uint32_t begin_of(const Arg& x) { return x.label ? x.label->range.begin : x.value->range.begin; }
std::uint32_t begin_of(const RecordEntry& x) { return x.key.range.begin; }
std::uint32_t begin_of(const FnParam& x) { return x.name.range.begin; }
std::uint32_t begin_of(const PendingOp& x) { return x.begin; }

/// Moves the nodes that begin at or after `begin` off the top of a stack, in source order.
template <typename T> std::vector<T> take_since(std::vector<T>& stack, std::uint32_t begin) {
    auto first = stack.end();
    while (first != stack.begin() && begin_of(*(first - 1)) >= begin) {
        --first;
    }
    std::vector<T> taken(std::make_move_iterator(first), std::make_move_iterator(stack.end()));
    stack.erase(first, stack.end());
    return taken;
}

template <typename T> T pop(std::vector<T>& stack) {
    T value = std::move(stack.back());
    stack.pop_back();
    return value;
}

/// The text of a string literal that may not interpolate (ref patterns, record keys, import paths).
std::string plain_text(const Expr& expr, const char* what) {
    std::string text;
    for (const StringPart& part : std::get<StringLit>(expr.node).parts) {
        if (const auto* interpolation = std::get_if<Box<Expr>>(&part)) {
            throw SyntaxError{"E0187", fmt::format("{} cannot contain '${{...}}'", what),
                              "write the text itself", (*interpolation)->range.begin, (*interpolation)->range.end};
        }
        text += std::get<std::string>(part);
    }
    return text;
}

std::int64_t parse_count(std::string_view digits, SourceRange range) {
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size()) {
        throw SyntaxError{"E0188", fmt::format("the number {} is too large", digits), "", range.begin, range.end};
    }
    return value;
}

template <typename Rule> struct action : peg::nothing<Rule> {};

// ---- names: push the name, and name the construct around it for messages ----------------------------------
struct name_the_frame {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        state.idents.push_back(Ident{in.string_view(), range_of(in, state)});
        state.frames.back().name = in.string_view();
    }
};
template <> struct action<rules::stage_name> : name_the_frame {};
template <> struct action<rules::fn_name> : name_the_frame {};
template <> struct action<rules::let_name> : name_the_frame {};
template <> struct action<rules::param_name> : name_the_frame {};
template <> struct action<rules::secret_name> : name_the_frame {};
template <> struct action<rules::artifact_name> : name_the_frame {};
template <> struct action<rules::fn_param_name> : name_the_frame {};
template <> struct action<rules::matrix_variable> : name_the_frame {};

template <> struct action<rules::callee> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        state.idents.push_back(Ident{in.string_view(), range_of(in, state)});
    }
};

template <> struct action<rules::needed_stage> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        state.idents.push_back(Ident{in.string_view(), range_of(in, state)});
    }
};

template <> struct action<rules::argument_label> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        std::string_view text = in.string_view();
        std::size_t length = 0;
        while (length < text.size() && text[length] != ':' && text[length] != ' ' && text[length] != '\t' &&
               text[length] != '\r' && text[length] != '\n' && text[length] != '#') {
            ++length;
        }
        std::uint32_t begin = begin_offset(in, state);
        state.idents.push_back(Ident{text.substr(0, length), {begin, begin + std::uint32_t(length)}});
        state.frames.back().name = text.substr(0, length);
    }
};

template <> struct action<rules::record_key> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        SourceRange range = range_of(in, state);
        std::string_view text = in.string_view();
        if (text.front() == '"') {
            std::string key = plain_text(pop(state.exprs), "a record key");
            state.idents.push_back(Ident{key, range});
            state.frames.back().name = text.substr(1, text.size() - 2);
        } else {
            state.idents.push_back(Ident{text, range});
            state.frames.back().name = text;
        }
    }
};

// ---- comments: ws may be matched again after backtracking, so keep each comment once ---------------------
template <> struct action<rules::comment> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        SourceRange range = range_of(in, state);
        if (!state.comments.empty() && state.comments.back().range.begin >= range.begin) {
            return;
        }
        std::string text = in.string();
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
            text.pop_back();
        }
        range.end = range.begin + static_cast<std::uint32_t>(text.size());
        state.comments.push_back(Comment{std::move(text), range});
    }
};

// ---- literals ---------------------------------------------------------------------------------------------
template <> struct action<rules::escape> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        char escaped = in.string_view()[1];
        char value = escaped == 'n' ? '\n' : escaped == 't' ? '\t' : escaped;
        SourceRange range = range_of(in, state);
        state.parts.push_back(PendingPart{range.begin, range.end, std::string(1, value)});
    }
};

template <> struct action<rules::interpolation> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        SourceRange range = range_of(in, state);
        state.parts.push_back(PendingPart{range.begin, range.end, Box<Expr>(pop(state.exprs))});
    }
};

template <> struct action<rules::string_literal> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        SourceRange range = range_of(in, state);
        std::string_view source = state.source.text();
        std::uint32_t text_end = range.end - 1; // before the closing quote
        auto first = state.parts.end();
        while (first != state.parts.begin() && (first - 1)->begin >= range.begin) {
            --first;
        }
        if (first == state.parts.end()) {
            // Most strings are one piece of plain text: made once, in place, and kept in place by StringParts.
            Expr& made = state.exprs.emplace_back();
            made.range = range;
            if (text_end > range.begin + 1) {
                std::get<StringLit>(made.node).parts.assign_text(
                    source.substr(range.begin + 1, text_end - range.begin - 1));
            }
            return;
        }
        // Escapes join the text around them; an interpolation stands as a piece of its own.
        std::vector<StringPart> parts;
        std::string text;
        std::uint32_t next = range.begin + 1;
        for (auto pending = first; pending != state.parts.end(); ++pending) {
            text.append(source.substr(next, pending->begin - next));
            if (auto* escaped = std::get_if<std::string>(&pending->part)) {
                text += *escaped;
            } else {
                if (!text.empty()) {
                    parts.emplace_back(std::in_place_index<0>, std::move(text));
                    text.clear();
                }
                parts.push_back(std::move(pending->part));
            }
            next = pending->end;
        }
        state.parts.erase(first, state.parts.end());
        text.append(source.substr(next, text_end - next));
        if (!text.empty()) {
            parts.emplace_back(std::in_place_index<0>, std::move(text));
        }
        state.exprs.push_back(Expr{StringLit{StringParts(std::move(parts))}, range});
    }
};

template <> struct action<rules::decimal_percent> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        std::string text = in.string();
        double value = std::strtod(text.c_str(), nullptr);
        state.exprs.push_back(Expr{PercentLit{value, text}, range_of(in, state)});
    }
};

template <> struct action<rules::decimal_number> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        state.exprs.push_back(Expr{DecimalLit{in.string()}, range_of(in, state)});
    }
};

/// What a duration unit that chain does not know most likely means, in a unit it knows: `min` is `m`,
/// `days` is 24 `h`. Nothing for a word that is no unit of time.
struct UnitMeaning {
    std::string_view unit;  // ms, s, m or h
    std::int64_t per = 1; // how many of `unit` one of the written unit is
};

std::optional<UnitMeaning> meaning_of_unit(std::string_view written) {
    std::string unit;
    for (char c : written) {
        unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    static constexpr std::pair<std::string_view, UnitMeaning> meanings[] = {
        {"ms", {"ms"}},          {"msec", {"ms"}},        {"msecs", {"ms"}},        {"millis", {"ms"}},
        {"millisecond", {"ms"}}, {"milliseconds", {"ms"}}, {"s", {"s"}},            {"sec", {"s"}},
        {"secs", {"s"}},         {"second", {"s"}},       {"seconds", {"s"}},       {"m", {"m"}},
        {"min", {"m"}},          {"mins", {"m"}},         {"minute", {"m"}},        {"minutes", {"m"}},
        {"h", {"h"}},            {"hr", {"h"}},           {"hrs", {"h"}},           {"hour", {"h"}},
        {"hours", {"h"}},        {"d", {"h", 24}},        {"day", {"h", 24}},       {"days", {"h", 24}},
        {"w", {"h", 168}},       {"wk", {"h", 168}},      {"week", {"h", 168}},     {"weeks", {"h", 168}}};
    for (const auto& [word, meaning] : meanings) {
        if (unit == word) {
            return meaning;
        }
    }
    return std::nullopt;
}

std::int64_t milliseconds_per(std::string_view unit) {
    return unit == "ms" ? 1 : unit == "s" ? 1000 : unit == "m" ? 60'000 : 3'600'000;
}

template <> struct action<rules::whole_number> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        std::string text = in.string();
        SourceRange range = range_of(in, state);
        std::size_t digit_count = text.find_first_not_of("0123456789");
        if (digit_count == std::string::npos) {
            state.exprs.push_back(Expr{IntLit{parse_count(text, range)}, range});
            return;
        }
        std::int64_t count = parse_count(std::string_view(text).substr(0, digit_count), range);
        std::string_view unit = std::string_view(text).substr(digit_count);
        if (unit == "%") {
            state.exprs.push_back(Expr{PercentLit{static_cast<double>(count), text}, range});
            return;
        }
        std::optional<UnitMeaning> meaning = meaning_of_unit(unit);
        if (!meaning) {
            throw SyntaxError{"E0197", fmt::format("unknown duration unit '{}'", unit),
                              "durations are written 250ms, 30s, 10m or 2h, percentages 80%",
                              range.begin + static_cast<std::uint32_t>(digit_count), range.end};
        }
        if (count > std::numeric_limits<std::int64_t>::max() / meaning->per / milliseconds_per(meaning->unit)) {
            throw SyntaxError{"E0188", fmt::format("the duration {} is too long", text), "", range.begin, range.end};
        }
        count *= meaning->per;
        if (unit != meaning->unit) {
            // The meaning is clear: say how to write it, and read the rest of the file as if it were written so.
            state.report(SyntaxError{"E0197", fmt::format("unknown duration unit '{}'", unit),
                                     fmt::format("did you mean '{}{}'?", count, meaning->unit),
                                     range.begin + static_cast<std::uint32_t>(digit_count), range.end});
        }
        state.exprs.push_back(Expr{DurationLit{count * milliseconds_per(meaning->unit), text}, range});
    }
};

template <> struct action<rules::bool_literal> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        state.exprs.push_back(Expr{BoolLit{in.string_view() == "true"}, range_of(in, state)});
    }
};

template <> struct action<rules::refpat> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        std::string_view text = in.string_view();
        RefPattern pattern;
        static constexpr std::pair<std::string_view, RefKind> kinds[] = {
            {"develop", RefKind::develop}, {"master", RefKind::master},   {"main", RefKind::main},
            {"feature", RefKind::feature}, {"release", RefKind::release}, {"hotfix", RefKind::hotfix},
            {"support", RefKind::support}, {"branch", RefKind::branch},   {"tag", RefKind::tag}};
        std::size_t word_length = 0;
        while (word_length < text.size() && std::isalpha(static_cast<unsigned char>(text[word_length]))) {
            ++word_length;
        }
        for (auto [word, kind] : kinds) {
            if (text.substr(0, word_length) == word) {
                pattern.kind = kind;
            }
        }
        if (pattern.kind == RefKind::branch || pattern.kind == RefKind::tag) {
            pattern.glob = plain_text(pop(state.exprs), "a ref pattern");
        } else if (word_length < text.size()) {
            pattern.glob = std::string(text.substr(word_length + 1));
        }
        state.exprs.push_back(Expr{std::move(pattern), range_of(in, state)});
    }
};

// ---- expressions ------------------------------------------------------------------------------------------
template <> struct action<rules::member_access> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        SourceRange range = range_of(in, state);
        Ident member{std::string(in.string_view().substr(1)), {range.begin + 1, range.end}};
        Ident object = pop(state.idents);
        SourceRange whole{object.range.begin, range.end};
        state.exprs.push_back(Expr{Member{std::move(object), std::move(member)}, whole});
    }
};

template <> struct action<rules::call_or_name> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        // A name without '(' or '.' after it is left on the stack by callee: it is a plain name.
        if (!state.idents.empty() && state.idents.back().range.begin == begin_offset(in, state)) {
            Ident ident = pop(state.idents);
            SourceRange range = ident.range;
            state.exprs.push_back(Expr{Name{std::move(ident)}, range});
        }
    }
};

template <> struct action<rules::keyword_argument> {
    template <typename Input> static void apply(const Input&, ParseState& state) {
        Box<Expr> value(pop(state.exprs));
        state.args.push_back(Arg{pop(state.idents), std::move(value)});
    }
};

template <> struct action<rules::positional_argument> {
    template <typename Input> static void apply(const Input&, ParseState& state) {
        state.args.push_back(Arg{std::nullopt, Box<Expr>(pop(state.exprs))});
    }
};

template <> struct action<rules::call_arguments> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        SourceRange range = range_of(in, state);
        std::vector<Arg> args = take_since(state.args, range.begin);
        Ident callee = pop(state.idents);
        range.begin = callee.range.begin;
        state.exprs.push_back(Expr{Call{std::move(callee), std::move(args)}, range});
    }
};

template <> struct action<rules::list> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        SourceRange range = range_of(in, state);
        state.exprs.push_back(Expr{ListExpr{take_since(state.exprs, range.begin)}, range});
    }
};

template <> struct action<rules::record_entry> {
    template <typename Input> static void apply(const Input&, ParseState& state) {
        Box<Expr> value(pop(state.exprs));
        Ident key = pop(state.idents);
        bool quoted = state.source.text()[key.range.begin] == '"';
        state.entries.push_back(RecordEntry{std::move(key), quoted, std::move(value)});
    }
};

template <> struct action<rules::record> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        SourceRange range = range_of(in, state);
        state.exprs.push_back(Expr{RecordExpr{take_since(state.entries, range.begin)}, range});
    }
};

// An operator's tail notes the operator; the rule of its strength (sum, compare, conj, expr) then joins
// all its operands into one Infix, so that a chain of any length is one flat node.
template <BinaryOp op> struct note_operator {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        state.ops.push_back(PendingOp{begin_offset(in, state), op});
    }
};
template <> struct action<rules::or_tail> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        BinaryOp op = in.string_view().front() == '|' ? BinaryOp::pipe : BinaryOp::or_;
        state.ops.push_back(PendingOp{begin_offset(in, state), op});
    }
};
template <> struct action<rules::and_tail> : note_operator<BinaryOp::and_> {};
template <> struct action<rules::compare_tail> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        BinaryOp op = in.string_view().front() == '=' ? BinaryOp::equal : BinaryOp::not_equal;
        state.ops.push_back(PendingOp{begin_offset(in, state), op});
    }
};
template <> struct action<rules::plus_tail> : note_operator<BinaryOp::plus> {};

struct join_operands {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        std::uint32_t begin = begin_offset(in, state);
        if (state.ops.empty() || state.ops.back().begin < begin) {
            return; // a single operand stands for itself
        }
        Infix infix;
        std::vector<PendingOp> ops = take_since(state.ops, begin);
        infix.ops.reserve(ops.size());
        for (const PendingOp& pending : ops) {
            infix.ops.push_back(pending.op);
        }
        auto first = state.exprs.end() - static_cast<std::ptrdiff_t>(infix.ops.size() + 1);
        infix.operands.assign(std::make_move_iterator(first), std::make_move_iterator(state.exprs.end()));
        state.exprs.erase(first, state.exprs.end());
        SourceRange range{infix.operands.front().range.begin, infix.operands.back().range.end};
        state.exprs.push_back(Expr{std::move(infix), range});
    }
};
template <> struct action<rules::sum> : join_operands {};
template <> struct action<rules::compare> : join_operands {};
template <> struct action<rules::conj> : join_operands {};
template <> struct action<rules::expr> : join_operands {};
template <> struct action<rules::negation> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        Box<Expr> operand(pop(state.exprs));
        state.exprs.push_back(Expr{Not{std::move(operand)}, range_of(in, state)});
    }
};

// ---- types ------------------------------------------------------------------------------------------------
template <> struct action<rules::simple_type> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        static constexpr std::pair<std::string_view, TypeKind> kinds[] = {
            {"str", TypeKind::str},         {"int", TypeKind::int_},         {"bool", TypeKind::bool_},
            {"duration", TypeKind::duration}, {"percent", TypeKind::percent}, {"cond", TypeKind::cond},
            {"target", TypeKind::target},   {"record", TypeKind::record}};
        TypeExpr type;
        type.range = range_of(in, state);
        for (auto [word, kind] : kinds) {
            if (in.string_view() == word) {
                type.kind = kind;
            }
        }
        state.types.push_back(std::move(type));
    }
};

template <> struct action<rules::list_type> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        TypeExpr type;
        type.kind = TypeKind::list;
        type.element = Box<TypeExpr>(pop(state.types));
        type.range = range_of(in, state);
        state.types.push_back(std::move(type));
    }
};

template <> struct action<rules::artifact_kind> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        TypeExpr type;
        type.kind = TypeKind::artifact;
        type.artifact_kind = in.string();
        state.types.push_back(std::move(type));
    }
};

template <> struct action<rules::artifact_type> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        state.types.back().range = range_of(in, state);
    }
};

// ---- statements and blocks --------------------------------------------------------------------------------
template <> struct action<rules::block> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        SourceRange range = range_of(in, state);
        state.blocks.push_back(Block{take_since(state.stmts, range.begin), range});
    }
};

template <> struct action<rules::artifact_stmt> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        Expr value = pop(state.exprs);
        state.stmts.push_back(Stmt{ArtifactStmt{pop(state.idents), std::move(value)}, range_of(in, state)});
    }
};

template <> struct action<rules::let> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        SourceRange range = range_of(in, state);
        Expr value = pop(state.exprs);
        std::optional<TypeExpr> type;
        if (!state.types.empty() && state.types.back().range.begin >= range.begin) {
            type = pop(state.types);
        }
        state.stmts.push_back(Stmt{Let{pop(state.idents), std::move(type), std::move(value)}, range});
    }
};

template <> struct action<rules::when_stmt> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        SourceRange range = range_of(in, state);
        std::vector<Block> blocks = take_since(state.blocks, range.begin);
        std::optional<Block> else_block;
        if (blocks.size() == 2) {
            else_block = std::move(blocks[1]);
        }
        state.stmts.push_back(
            Stmt{WhenStmt{pop(state.exprs), std::move(blocks[0]), std::move(else_block)}, range});
    }
};

template <> struct action<rules::stmt_call> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        std::string_view text = in.string_view();
        state.statement_callee = text.substr(0, text.find('('));
    }
};

template <> struct action<rules::call_stmt> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        SourceRange range = range_of(in, state);
        std::vector<Block> blocks = take_since(state.blocks, range.begin);
        std::optional<Block> block;
        if (!blocks.empty()) {
            block = std::move(blocks[0]);
        }
        state.stmts.push_back(Stmt{CallStmt{pop(state.exprs), std::move(block)}, range});
    }
};

// ---- clauses ----------------------------------------------------------------------------------------------
template <> struct action<rules::needs_clause> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        SourceRange range = range_of(in, state);
        state.clauses.push_back(Clause{NeedsClause{take_since(state.idents, range.begin)}, range});
    }
};

template <> struct action<rules::when_clause> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        state.clauses.push_back(Clause{WhenClause{pop(state.exprs)}, range_of(in, state)});
    }
};

template <> struct action<rules::matrix_clause> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        Expr values = pop(state.exprs);
        state.clauses.push_back(Clause{MatrixClause{pop(state.idents), std::move(values)}, range_of(in, state)});
    }
};

template <> struct action<rules::inputs_clause> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        SourceRange range = range_of(in, state);
        state.clauses.push_back(Clause{InputsClause{take_since(state.exprs, range.begin)}, range});
    }
};

template <> struct action<rules::timeout_duration> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        if (!std::holds_alternative<DurationLit>(state.exprs.back().node)) {
            const auto& text = rules::error_text<rules::timeout_duration>;
            SourceRange range = range_of(in, state);
            throw SyntaxError{text.code, fmt::format("{}, found '{}'", text.message, in.string_view()), text.hint,
                              range.begin, range.end};
        }
    }
};

template <> struct action<rules::retry_count> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        if (!std::holds_alternative<IntLit>(state.exprs.back().node)) {
            const auto& text = rules::error_text<rules::retry_count>;
            SourceRange range = range_of(in, state);
            throw SyntaxError{text.code, fmt::format("{}, found '{}'", text.message, in.string_view()), "",
                              range.begin, range.end};
        }
    }
};

template <> struct action<rules::timeout_clause> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        state.clauses.push_back(Clause{TimeoutClause{pop(state.exprs)}, range_of(in, state)});
    }
};

template <> struct action<rules::retry_clause> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        state.clauses.push_back(Clause{RetryClause{pop(state.exprs)}, range_of(in, state)});
    }
};

template <> struct action<rules::manual_clause> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        state.clauses.push_back(Clause{ManualClause{}, range_of(in, state)});
    }
};

template <> struct action<rules::env_clause> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        state.clauses.push_back(Clause{EnvClause{pop(state.exprs)}, range_of(in, state)});
    }
};

template <> struct action<rules::allow_failure_clause> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        state.clauses.push_back(Clause{AllowFailureClause{}, range_of(in, state)});
    }
};

// ---- declarations -----------------------------------------------------------------------------------------
template <> struct action<rules::pipeline_name> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        Header header;
        header.name_quoted = in.string_view().front() == '"';
        header.name = header.name_quoted ? plain_text(pop(state.exprs), "the pipeline's name") : in.string();
        state.header = std::move(header);
    }
};

template <> struct action<rules::pipeline_kind> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        state.header->kind = Ident{in.string_view(), range_of(in, state)};
    }
};

template <> struct action<rules::header> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        state.header->range = range_of(in, state);
    }
};

template <> struct action<rules::import> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        state.decls.push_back(Decl{Import{pop(state.exprs)}, range_of(in, state)});
    }
};

template <> struct action<rules::param> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        SourceRange range = range_of(in, state);
        std::optional<Expr> default_value;
        if (!state.exprs.empty() && state.exprs.back().range.begin >= range.begin) {
            default_value = pop(state.exprs);
        }
        TypeExpr type = pop(state.types);
        state.decls.push_back(Decl{Param{pop(state.idents), std::move(type), std::move(default_value)}, range});
    }
};

template <> struct action<rules::secret> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        Expr variable = pop(state.exprs);
        state.decls.push_back(Decl{Secret{pop(state.idents), std::move(variable)}, range_of(in, state)});
    }
};

template <> struct action<rules::fn_param> {
    template <typename Input> static void apply(const Input&, ParseState& state) {
        TypeExpr type = pop(state.types);
        state.fn_params.push_back(FnParam{pop(state.idents), std::move(type)});
    }
};

template <> struct action<rules::fn> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        SourceRange range = range_of(in, state);
        Block body = pop(state.blocks);
        std::vector<FnParam> params = take_since(state.fn_params, range.begin);
        state.decls.push_back(Decl{Fn{pop(state.idents), std::move(params), std::move(body)}, range});
    }
};

template <> struct action<rules::stage> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        SourceRange range = range_of(in, state);
        Block body = pop(state.blocks);
        std::vector<Clause> clauses = take_since(state.clauses, range.begin);
        state.decls.push_back(Decl{Stage{pop(state.idents), std::move(clauses), std::move(body)}, range});
    }
};

// A let is a statement inside blocks; at the top level the statement it left becomes a declaration.
template <> struct action<rules::decl> {
    template <typename Input> static void apply(const Input& in, ParseState& state) {
        if (!state.stmts.empty()) {
            Stmt stmt = pop(state.stmts);
            state.decls.push_back(Decl{std::move(std::get<Let>(stmt.node)), range_of(in, state)});
        }
    }
};

// ---- errors -----------------------------------------------------------------------------------------------
bool is_word_byte(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '/' || c == '*';
}

/// The extent of what stands at `offset`, to underline and to name in "found ...".
SourceRange found_range(std::string_view text, std::uint32_t offset) {
    if (offset >= text.size()) {
        return {offset, offset};
    }
    std::uint32_t end = offset;
    if (is_word_byte(text[offset])) {
        while (end < text.size() && is_word_byte(text[end])) {
            ++end;
        }
    } else {
        ++end;
        while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
            ++end;
        }
    }
    return {offset, end};
}

std::string describe_found(std::string_view text, SourceRange found) {
    if (found.begin >= text.size()) {
        return "end of file";
    }
    char c = text[found.begin];
    if (c == '\n' || c == '\r') {
        return "end of line";
    }
    if (c == ' ' || c == '\t') {
        return "a space";
    }
    return fmt::format("'{}'", text.substr(found.begin, found.end - found.begin));
}

template <typename Rule> struct control : peg::normal<Rule> {
    template <typename Input> static void start(const Input& in, ParseState& state) {
        if constexpr (nests<Rule>) {
            if (++state.depth > max_nesting) {
                auto offset = static_cast<std::uint32_t>(in.current() - state.base);
                throw SyntaxError{"E0189", fmt::format("nesting deeper than {} levels", max_nesting),
                                  "split the expression with let", offset, offset + 1};
            }
        }
        if constexpr (frame_kind<Rule>.title != nullptr) {
            Frame frame{frame_kind<Rule>, {}, static_cast<std::uint32_t>(in.current() - state.base)};
            if constexpr (frame_kind<Rule>.style == FrameStyle::block_of_statement_call) {
                frame.name = state.statement_callee;
            } else if constexpr (frame_kind<Rule>.style == FrameStyle::call_of_last_name) {
                // A view into the source text: the ident stack may move its strings while the call is parsed.
                SourceRange callee = state.idents.back().range;
                frame.name = std::string_view(state.source.text()).substr(callee.begin, callee.end - callee.begin);
            }
            state.frames.push_back(frame);
        }
    }

    template <typename Input> static void leave(ParseState& state) {
        if constexpr (nests<Rule>) {
            --state.depth;
        }
        if constexpr (frame_kind<Rule>.title != nullptr) {
            state.frames.pop_back();
        }
    }
    template <typename Input> static void success(const Input&, ParseState& state) { leave<Input>(state); }
    template <typename Input> static void failure(const Input&, ParseState& state) { leave<Input>(state); }

    template <typename Input> [[noreturn]] static void raise(const Input& in, ParseState& state) {
        constexpr rules::ErrorText text = rules::error_text<Rule>;
        static_assert(text.message != nullptr, "every must<> rule needs a message in errors.hpp");
        std::string_view source = state.source.text();
        auto offset = static_cast<std::uint32_t>(in.current() - state.base);
        SourceRange found = found_range(source, offset);

        std::string subject;
        if constexpr (std::is_same_v<Rule, rules::stmt_call>) {
            subject = std::string(source.substr(found.begin, found.end - found.begin));
        } else {
            subject = state.innermost();
        }
        std::string message = text.message;
        if (std::size_t slot = message.find("{}"); slot != std::string::npos) {
            message.replace(slot, 2, subject);
        }
        if constexpr (std::is_same_v<Rule, rules::escape_char>) {
            std::uint32_t end = std::min<std::uint32_t>(offset + 1, static_cast<std::uint32_t>(source.size()));
            while (end < source.size() && (static_cast<unsigned char>(source[end]) & 0xC0) == 0x80) {
                ++end;
            }
            throw SyntaxError{text.code, fmt::format("{} '\\{}'", message, source.substr(offset, end - offset)),
                              text.hint, offset - 1, end};
        } else if constexpr (std::is_same_v<Rule, rules::string_close>) {
            // The useful place to point at is the opening quote, not the end of the line.
            std::uint32_t begin = state.frames.empty() ? offset : state.frames.back().begin;
            throw SyntaxError{text.code, message, text.hint ? text.hint : "", begin, std::max(offset, begin + 1)};
        } else {
            if constexpr (!std::is_same_v<Rule, rules::stmt_call>) {
                message += ", found " + describe_found(source, found);
            }
            std::string hint = text.hint ? text.hint : "";
            if constexpr (expects_name<Rule>) {
                std::string_view word = source.substr(found.begin, found.end - found.begin);
                if (rules::is_reserved(word)) {
                    hint = fmt::format("'{}' is a reserved word; choose another name", word);
                }
            }
            std::vector<DiagnosticNote> notes;
            if (found.begin >= source.size() && !state.frames.empty()) {
                // The end of the file says only that something is open; where it opened is the place to mend.
                std::uint32_t opened = state.frames.back().begin;
                if (opened < source.size() && std::string_view("{[(").find(source[opened]) != std::string_view::npos) {
                    notes.push_back({{opened, opened + 1},
                                     fmt::format("{}, opened here, is never closed", state.innermost())});
                }
            }
            if (found.end == found.begin || source[found.begin] == '\n' || source[found.begin] == '\r') {
                found.end = found.begin + 1;
            }
            throw SyntaxError{text.code, message, hint, found.begin, found.end, std::move(notes)};
        }
    }
};

template <typename Rule, typename Input> bool match_rule(Input& in, ParseState& state) {
    return peg::parse<Rule, action, control>(in, state);
}

/// Whether a declaration keyword stands at `start`, the first column of a line.
bool declaration_starts(std::string_view text, std::size_t start) {
    static constexpr std::string_view keywords[] = {"import", "let", "param", "secret", "fn", "stage"};
    if (start >= text.size()) {
        return false;
    }
    for (std::string_view keyword : keywords) {
        if (keyword.front() == text[start] && text.substr(start, keyword.size()) == keyword &&
            (start + keyword.size() == text.size() || !is_word_byte(text[start + keyword.size()]))) {
            return true;
        }
    }
    return false;
}

/// The next line, after `offset`, that starts with a declaration keyword in its first column.
std::optional<std::uint32_t> recovery_point(std::string_view text, std::uint32_t offset) {
    std::size_t line = text.find('\n', offset);
    while (line != std::string_view::npos) {
        std::size_t start = line + 1;
        if (declaration_starts(text, start)) {
            return static_cast<std::uint32_t>(start);
        }
        line = text.find('\n', start);
    }
    return std::nullopt;
}

/// About the number of declarations: the lines that start with a declaration keyword. The table is sized
/// with it once, rather than grown by doubling to up to twice the room (and, while it grows, three times).
std::size_t declaration_lines(std::string_view text) {
    std::size_t count = declaration_starts(text, 0) ? 1 : 0;
    for (std::size_t line = text.find('\n'); line != std::string_view::npos; line = text.find('\n', line + 1)) {
        count += declaration_starts(text, line + 1) ? 1 : 0;
    }
    return count;
}

/// E0101 at the first byte of the text that is not UTF-8, if there is one: nothing else is parsed then.
std::optional<Diagnostic> invalid_utf8(const std::shared_ptr<const SourceFile>& source) {
    std::string_view text = source->text();
    std::size_t bad = find_invalid_utf8(text);
    if (bad == std::string_view::npos) {
        return std::nullopt;
    }
    auto offset = static_cast<std::uint32_t>(bad);
    return Diagnostic{source, {offset, offset + 1}, Severity::error, "E0101",
                      fmt::format("the file is not valid UTF-8 (byte 0x{:02X})", static_cast<unsigned char>(text[bad])),
                      "save the file as UTF-8"};
}

Diagnostic diagnostic_of(const std::shared_ptr<const SourceFile>& source, const SyntaxError& error) {
    return Diagnostic{source, {error.begin, error.end}, Severity::error, error.code, error.message, error.hint,
                      error.notes};
}

/// Adds the errors that did not stop parsing, keeping all of them in the order of the text.
void add_reported(std::vector<Diagnostic>& diagnostics, const std::shared_ptr<const SourceFile>& source,
                  const ParseState& state) {
    for (const SyntaxError& error : state.reported) {
        diagnostics.push_back(diagnostic_of(source, error));
    }
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.range.begin < b.range.begin; });
}

} // namespace

ParseResult parse(std::shared_ptr<const SourceFile> source) {
    ParseResult result;
    std::string_view text = source->text();
    if (std::optional<Diagnostic> invalid = invalid_utf8(source)) {
        result.diagnostics.push_back(std::move(*invalid));
        return result;
    }

    // Before the state, so that nodes left on its stacks go first should an exception leave early.
    auto arena = std::make_shared<Arena>();
    struct MadeIn {
        Arena* outer;
        explicit MadeIn(Arena* arena) : outer(std::exchange(Arena::current(), arena)) {}
        ~MadeIn() { Arena::current() = outer; }
    } made_in(arena.get());
    ParseState state(*source);
    state.decls.reserve(declaration_lines(text));
    std::uint32_t offset = 0;
    bool at_start = true;
    while (true) {
        peg::memory_input<peg::tracking_mode::lazy, peg::eol::lf_crlf> in(text.data() + offset,
                                                                           text.data() + text.size(), source->name());
        try {
            if (at_start) {
                at_start = false;
                match_rule<rules::file_header>(in, state);
            } else {
                match_rule<rules::next_decl>(in, state);
            }
            offset = static_cast<std::uint32_t>(in.current() - text.data());
            if (offset == text.size()) {
                break;
            }
        } catch (const SyntaxError& error) {
            if (result.diagnostics.empty()) {
                std::size_t rest = text.find_first_not_of(" \t\r\n", error.begin);
                result.incomplete = error.begin >= text.size() || rest == std::string_view::npos;
            }
            result.diagnostics.push_back(diagnostic_of(source, error));
            state.reset();
            std::optional<std::uint32_t> resume = recovery_point(text, std::max(error.begin, offset));
            if (!resume) {
                break;
            }
            offset = *resume;
        }
    }
    add_reported(result.diagnostics, source, state);
    result.file.header = std::move(state.header);
    // Grown by doubling, the table would keep room for up to as many again for as long as the tree lives.
    state.comments.shrink_to_fit();
    result.file.decls = std::move(state.decls);
    result.file.comments = std::move(state.comments);
    result.file.arena = std::move(arena);
    return result;
}

ExpressionResult parse_expression(std::shared_ptr<const SourceFile> source) {
    ExpressionResult result;
    std::string_view text = source->text();
    if (std::optional<Diagnostic> invalid = invalid_utf8(source)) {
        result.diagnostics.push_back(std::move(*invalid));
        return result;
    }
    ParseState state(*source);
    peg::memory_input<peg::tracking_mode::lazy, peg::eol::lf_crlf> in(text.data(), text.data() + text.size(),
                                                                       source->name());
    try {
        match_rule<rules::lone_expression>(in, state);
        if (state.reported.empty()) {
            result.expr = pop(state.exprs);
        }
    } catch (const SyntaxError& error) {
        result.incomplete = error.begin >= text.size();
        result.diagnostics.push_back(diagnostic_of(source, error));
    }
    add_reported(result.diagnostics, source, state);
    return result;
}

} // namespace chain
