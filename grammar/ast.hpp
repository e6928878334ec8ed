#pragma once

#include "interned.hpp"
#include "source.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace chain {

/// A visitor for std::visit made of lambdas, one per alternative of a variant (the AST's nodes).
template <typename... Ts> struct overloaded : Ts... {
    using Ts::operator()...;
};
template <typename... Ts> overloaded(Ts...) -> overloaded<Ts...>;

} // namespace chain

namespace chain::ast {

/// Memory for the boxed nodes of one parsed file, handed out in order and freed at once with its tree
/// (ast::File): a malloc per sub-expression cost its 16 bytes of header and rounding again, 2 MB of
/// 10,000 stages. The parser makes it the current arena of its thread while it builds the tree.
class Arena {
  public:
    Arena() = default;
    Arena(const Arena&) = delete;
    Arena& operator=(const Arena&) = delete;

    void* allocate(std::size_t size) {
        size = (size + alignof(std::max_align_t) - 1) & ~(alignof(std::max_align_t) - 1);
        if (size > left_) {
            std::size_t block = std::max(size, block_size);
            blocks_.push_back(std::make_unique<std::max_align_t[]>(block / sizeof(std::max_align_t)));
            next_ = reinterpret_cast<std::byte*>(blocks_.back().get());
            left_ = block;
        }
        void* place = next_;
        next_ += size;
        left_ -= size;
        return place;
    }

    /// Where new Boxes are made on this thread: the arena of the file being parsed, or none (the heap).
    static Arena*& current() {
        static thread_local Arena* arena = nullptr;
        return arena;
    }

  private:
    static constexpr std::size_t block_size = 64 * 1024 - 64; // leaves malloc its header within 64 KB
    std::vector<std::unique_ptr<std::max_align_t[]>> blocks_;
    std::byte* next_ = nullptr;
    std::size_t left_ = 0;
};

/// An owning pointer with value semantics, so that recursive nodes can be copied like plain structs. A Box
/// made while an arena is current lives in it: destroying it destroys the value and leaves the memory to
/// the arena. A copy always goes to the heap, so that it may outlive the tree it was copied from.
template <typename T> class Box {
  public:
    Box(T value) {
        if (Arena* arena = Arena::current()) {
            static_assert(alignof(T) <= alignof(std::max_align_t) && alignof(T) > 1);
            bits_ = reinterpret_cast<std::uintptr_t>(new (arena->allocate(sizeof(T))) T(std::move(value))) | in_arena;
        } else {
            bits_ = reinterpret_cast<std::uintptr_t>(new T(std::move(value)));
        }
    }
    Box(const Box& other) : bits_(reinterpret_cast<std::uintptr_t>(new T(*other))) {}
    Box(Box&& other) noexcept : bits_(std::exchange(other.bits_, 0)) {}
    Box& operator=(const Box& other) {
        **this = *other;
        return *this;
    }
    Box& operator=(Box&& other) noexcept {
        if (this != &other) {
            release();
            bits_ = std::exchange(other.bits_, 0);
        }
        return *this;
    }
    ~Box() { release(); }

    T& operator*() { return *get(); }
    const T& operator*() const { return *get(); }
    T* operator->() { return get(); }
    const T* operator->() const { return get(); }

  private:
    static constexpr std::uintptr_t in_arena = 1; // the low bit of an aligned address

    T* get() const { return reinterpret_cast<T*>(bits_ & ~in_arena); }
    void release() {
        if (bits_ & in_arena) {
            get()->~T();
        } else {
            delete get();
        }
    }

    std::uintptr_t bits_ = 0;
};

/// An optional value kept out of line: for what is big and rare (a let's written type, an else block), so
/// that every node of its kind does not carry its room. Reads like std::optional; copies like a value.
template <typename T> class OptionalBox {
  public:
    OptionalBox() = default;
    OptionalBox(std::nullopt_t) {}
    OptionalBox(T value) : value_(std::make_unique<T>(std::move(value))) {}
    OptionalBox(std::optional<T> value) : value_(value ? std::make_unique<T>(std::move(*value)) : nullptr) {}
    OptionalBox(const OptionalBox& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
    OptionalBox(OptionalBox&&) noexcept = default;
    OptionalBox& operator=(const OptionalBox& other) {
        if (this != &other) {
            value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
        }
        return *this;
    }
    OptionalBox& operator=(OptionalBox&&) noexcept = default;
    bool has_value() const { return value_ != nullptr; }
    explicit operator bool() const { return has_value(); }
    T& operator*() { return *value_; }
    const T& operator*() const { return *value_; }
    T* operator->() { return value_.get(); }
    const T* operator->() const { return value_.get(); }

  private:
    std::unique_ptr<T> value_;
};

/// A name as written, with where it was written; the name is interned (see `interned`), so an Ident is
/// small, is copied without allocating, and never dangles.
struct Ident {
    Ident() = default;
    Ident(std::string_view text, SourceRange where) : name(interned(text)), range(where) {}

    std::string_view name;
    SourceRange range;
};

/// A `#` comment, kept so that the formatter can put it back.
struct Comment {
    std::string text;
    SourceRange range;
};

enum class TypeKind { str, int_, bool_, duration, percent, cond, list, artifact, target, record };

/// A written type: `str`, `list<str>`, `artifact<wheel>`.
struct TypeExpr {
    TypeKind kind = TypeKind::str;
    std::optional<Box<TypeExpr>> element; // for list<T>
    std::string artifact_kind;            // for artifact<KIND>
    SourceRange range;
};

struct Expr;

/// A piece of a string literal: text with escapes resolved, or a `${expr}` interpolation.
using StringPart = std::variant<std::string, Box<Expr>>;

/// The parts of a string literal, read like a vector. Most literals are one piece of text, held in place:
/// an array of its own for each of them was a malloc per literal, 80,000 of them in 10,000 stages.
class StringParts {
  public:
    StringParts() = default;
    StringParts(std::initializer_list<StringPart> parts) {
        for (const StringPart& part : parts) {
            push_back(part);
        }
    }
    /// Takes the parts of `parts`, in an array of exactly their number when there are several.
    explicit StringParts(std::vector<StringPart> parts) {
        if (parts.size() == 1) {
            parts_.emplace<1>(std::move(parts.front()));
        } else if (parts.size() > 1) {
            parts.shrink_to_fit();
            parts_.emplace<2>(std::move(parts));
        }
    }

    /// Holds the one piece of text `text`, made in place: what most literals are.
    void assign_text(std::string_view text) { parts_.emplace<1>(std::in_place_index<0>, text); }

    void push_back(StringPart part) {
        if (parts_.index() == 0) {
            parts_.emplace<1>(std::move(part));
        } else if (parts_.index() == 1) {
            std::vector<StringPart> several;
            several.reserve(2);
            several.push_back(std::move(std::get<1>(parts_)));
            several.push_back(std::move(part));
            parts_.emplace<2>(std::move(several));
        } else {
            std::get<2>(parts_).push_back(std::move(part));
        }
    }

    std::size_t size() const { return parts_.index() == 2 ? std::get<2>(parts_).size() : parts_.index(); }
    bool empty() const { return size() == 0; }
    const StringPart* begin() const {
        return parts_.index() == 1 ? &std::get<1>(parts_) : parts_.index() == 2 ? std::get<2>(parts_).data() : nullptr;
    }
    const StringPart* end() const { return begin() + size(); }
    StringPart* begin() { return const_cast<StringPart*>(std::as_const(*this).begin()); }
    StringPart* end() { return begin() + size(); }
    const StringPart& operator[](std::size_t index) const { return begin()[index]; }
    StringPart& operator[](std::size_t index) { return begin()[index]; }
    const StringPart& at(std::size_t index) const {
        if (index >= size()) {
            throw std::out_of_range("StringParts::at");
        }
        return begin()[index];
    }
    const StringPart& front() const { return *begin(); }
    const StringPart& back() const { return end()[-1]; }
    StringPart& back() { return end()[-1]; }

  private:
    std::variant<std::monostate, StringPart, std::vector<StringPart>> parts_;
};

struct StringLit {
    StringParts parts;
};
struct IntLit {
    std::int64_t value = 0;
};
struct BoolLit {
    bool value = false;
};
struct DurationLit {
    std::int64_t milliseconds = 0;
    std::string text; // as written, `30s`
};
struct PercentLit {
    double value = 0;
    std::string text; // as written, `99.5%`
};
/// A number with a fraction and no `%` (`3.11`, `1.2.3`): no value of chain has this form. It is kept in
/// the tree so that the checker can say so where it stands (a version written without quotes, mostly)
/// and the rest of the file is still checked.
struct DecimalLit {
    std::string text; // as written
};

enum class RefKind { develop, master, main, feature, release, hotfix, support, branch, tag };

/// A git-flow ref pattern: `develop`, `release/1.*`, `branch "ci/*"`, `tag "v*"`.
struct RefPattern {
    RefKind kind = RefKind::develop;
    std::string glob; // empty for develop, master and main
};

/// A reference to a name: a let, param, secret, stage, fn parameter, matrix variable or enum word.
struct Name {
    Ident ident;
};

/// `stage.artifact`, or another member of a name.
struct Member {
    Ident object;
    Ident member;
};

/// A positional (`label` empty) or keyword argument.
struct Arg {
    std::optional<Ident> label;
    Box<Expr> value;
};

struct Call {
    Ident callee;
    std::vector<Arg> args;
};

struct ListExpr {
    std::vector<Expr> items;
};

struct RecordEntry {
    Ident key; // a string key is stored unquoted, with its range
    bool key_quoted = false;
    Box<Expr> value;
};

struct RecordExpr {
    std::vector<RecordEntry> entries;
};

enum class BinaryOp { or_, pipe, and_, equal, not_equal, plus };

/// Operands joined left to right by operators of one strength: `a + b + c`, `x or y | z`, `a == b`
/// (`ops[i]` stands between `operands[i]` and `operands[i + 1]`). Flat rather than nested, so that a
/// chain of any length is checked, evaluated and printed without recursion.
struct Infix {
    std::vector<Expr> operands; // two or more
    std::vector<BinaryOp> ops;  // one fewer
};

struct Not {
    Box<Expr> operand;
};

/// Every expression of the language; `range` covers its whole text.
struct Expr {
    std::variant<StringLit, IntLit, BoolLit, DurationLit, PercentLit, DecimalLit, RefPattern, Name, Member, Call,
                 ListExpr, RecordExpr, Infix, Not>
        node;
    SourceRange range;
};

/// The text of a string literal written out, without interpolation; nothing for any other expression.
inline std::optional<std::string> literal_text(const Expr& expr) {
    const auto* literal = std::get_if<StringLit>(&expr.node);
    if (!literal || literal->parts.size() > 1) {
        return std::nullopt;
    }
    if (literal->parts.empty()) {
        return std::string();
    }
    const auto* text = std::get_if<std::string>(&literal->parts.front());
    return text ? std::optional(*text) : std::nullopt;
}

struct Stmt;

/// `{ stmt... }`
struct Block {
    std::vector<Stmt> stmts;
    SourceRange range;
};

struct ArtifactStmt {
    Ident name;
    Expr value;
};

/// `let NAME [: TYPE] = EXPR`, at the top level or inside a block.
struct Let {
    Ident name;
    OptionalBox<TypeExpr> type;
    Expr value;
};

struct WhenStmt {
    Expr condition;
    Block then_block;
    OptionalBox<Block> else_block;
};

/// A call as a statement, with the trailing block of a block builtin such as `chroot(...) { ... }`.
struct CallStmt {
    Expr call; // holds a Call
    OptionalBox<Block> block;
};

struct Stmt {
    std::variant<ArtifactStmt, Let, WhenStmt, CallStmt> node;
    SourceRange range;
};

struct NeedsClause {
    std::vector<Ident> stages;
};
struct WhenClause {
    Expr condition;
};
struct MatrixClause {
    Ident variable;
    Box<Expr> values; // boxed: inline, it made every clause of every stage 24 bytes larger
};
struct InputsClause {
    std::vector<Expr> patterns; // string literals
};
struct TimeoutClause {
    Expr duration; // a DurationLit
};
struct RetryClause {
    Expr count; // an IntLit
};
struct ManualClause {};
struct EnvClause {
    Expr variables; // a RecordExpr
};
struct AllowFailureClause {};

struct Clause {
    std::variant<NeedsClause, WhenClause, MatrixClause, InputsClause, TimeoutClause, RetryClause, ManualClause,
                 EnvClause, AllowFailureClause>
        node;
    SourceRange range;
};

struct Header {
    std::string name;
    bool name_quoted = false;
    std::optional<Ident> kind; // library, application or deployment
    SourceRange range;
};

struct Import {
    Expr path; // a string literal
};

struct Param {
    Ident name;
    TypeExpr type;
    OptionalBox<Expr> default_value;
};

struct Secret {
    Ident name;
    Expr variable; // the string literal inside env("...")
};

struct FnParam {
    Ident name;
    TypeExpr type;
};

struct Fn {
    Ident name;
    std::vector<FnParam> params;
    Block body;
};

struct Stage {
    Ident name;
    std::vector<Clause> clauses;
    Block body;
};

struct Decl {
    std::variant<Import, Let, Param, Secret, Fn, Stage> node;
    SourceRange range;
};

/// One parsed .chain file.
struct File {
    File() = default;
    File(const File&) = default;
    File(File&&) noexcept = default;
    // Assigned in the order of the members: the old nodes go before the arena they live in.
    File& operator=(const File&) = default;
    File& operator=(File&&) noexcept = default;
    ~File() { decls.clear(); } // the nodes before their arena, which is destroyed first

    std::optional<Header> header;
    std::vector<Decl> decls;
    std::vector<Comment> comments;
    /// Where the parser made the tree's boxes; shared by a copy, whose own boxes are on the heap.
    std::shared_ptr<Arena> arena;
};

} // namespace chain::ast
