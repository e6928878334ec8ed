#pragma once
// The PEGTL grammar of chain, rule by rule as in SPEC.md section 3.
// Whitespace convention: a rule owns the padding between its own parts, never before or after itself.
// Every rule wrapped in must<> is an error point with its own name and a message in errors.hpp.

#include <tao/pegtl.hpp>

#include <cstdint>
#include <iterator>
#include <string_view>

namespace chain::rules {

namespace peg = tao::pegtl;
using peg::alnum;
using peg::at;
using peg::digit;
using peg::eof;
using peg::eolf;
using peg::must;
using peg::not_at;
using peg::not_one;
using peg::one;
using peg::opt;
using peg::plus;
using peg::ranges;
using peg::seq;
using peg::sor;
using peg::star;
using peg::string;
using peg::until;

// ---- lexical structure (SPEC.md section 2) ----------------------------------------------------------
struct comment : seq<one<'#'>, star<not_one<'\n'>>> {};

constexpr bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/// `star<sor<one<' ', '\t', '\r', '\n'>, comment>>`, by hand: ws is matched between almost any two tokens
/// and nearly always ends at a byte that is neither blank nor '#', where trying `comment` only costs.
struct ws {
    using rule_t = star<sor<one<' ', '\t', '\r', '\n'>, comment>>::rule_t; // what the grammar analysis sees
    template <peg::apply_mode A, peg::rewind_mode, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
        const char* p = in.current();
        const char* end = in.end();
        while (p < end && is_blank(*p)) {
            ++p;
        }
        in.bump(static_cast<std::size_t>(p - in.current()));
        if (p < end && *p == '#') {
            comments<A, Action, Control>(in, st...);
        }
        return true;
    }

  private:
    // Out of line: comments are rare next to the places ws is matched.
    template <peg::apply_mode A, template <typename...> class Action, template <typename...> class Control,
              typename ParseInput, typename... States>
    [[gnu::noinline]] static void comments(ParseInput& in, States&&... st) {
        while (!in.empty() && in.peek_char() == '#') {
            (void)Control<comment>::template match<A, peg::rewind_mode::required, Action, Control>(in, st...);
            const char* p = in.current();
            while (p < in.end() && is_blank(*p)) {
                ++p;
            }
            in.bump(static_cast<std::size_t>(p - in.current()));
        }
    }
};

/// The reserved words of SPEC.md section 2: never a name. The branch kinds `feature release hotfix support`
/// are not among them: they make a ref pattern only where '/' follows (`release/*`), and are names elsewhere.
inline constexpr std::string_view reserved_words[] = {
    "pipeline", "kind",    "import",  "let",  "param",  "secret", "fn",    "stage",         "needs",
    "when",     "matrix",  "in",      "inputs", "timeout", "retry", "manual", "allow_failure", "artifact",
    "else",     "and",     "or",      "not",  "true",   "false",  "develop", "master",      "main",
    "branch",   "tag"};

/// The reserved words by first letter, so that checking a name compares it with at most a few words.
struct ReservedIndex {
    std::uint8_t count[26] = {};
    std::uint8_t words[26][8] = {};
};

constexpr ReservedIndex make_reserved_index() {
    ReservedIndex index;
    for (std::size_t i = 0; i < std::size(reserved_words); ++i) {
        int letter = reserved_words[i][0] - 'a';
        index.words[letter][index.count[letter]++] = static_cast<std::uint8_t>(i);
    }
    return index;
}

inline constexpr ReservedIndex reserved_index = make_reserved_index();

constexpr bool is_reserved(std::string_view word) {
    if (word.size() < 2 || word.size() > 13 || word[0] < 'a' || word[0] > 'z') {
        return false;
    }
    int letter = word[0] - 'a';
    for (std::uint8_t k = 0; k < reserved_index.count[letter]; ++k) {
        if (reserved_words[reserved_index.words[letter][k]] == word) {
            return true;
        }
    }
    return false;
}

constexpr bool is_ident_other(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/// The end of the name characters `[A-Za-z0-9_-]*` from `p`, where a '-' must be followed by more of the name.
constexpr const char* scan_name_tail(const char* p, const char* end) {
    while (p < end) {
        if (is_ident_other(*p)) {
            ++p;
            continue;
        }
        const char* dashes = p;
        while (dashes < end && *dashes == '-') {
            ++dashes;
        }
        if (dashes == p || dashes == end || !is_ident_other(*dashes)) {
            break;
        }
        p = dashes;
    }
    return p;
}

// Keywords and names are the hottest rules of the grammar, so they are matched by hand instead of by
// composing string<> and not_at<>: the same language, without a memcmp per reserved word per name.

/// A keyword: the word itself, not followed by more of a name (`stage` but not `stages` or `stage-x`).
template <char... Cs> struct kw {
    using rule_t = kw;
    using subs_t = peg::empty_list;
    template <typename ParseInput> [[nodiscard]] static bool match(ParseInput& in) {
        constexpr std::size_t length = sizeof...(Cs);
        const char* p = in.current();
        if (static_cast<std::size_t>(in.end() - p) < length) {
            return false;
        }
        std::size_t i = 0;
        if (!((p[i++] == Cs) && ...)) {
            return false;
        }
        if (scan_name_tail(p + length, in.end()) != p + length) {
            return false;
        }
        in.bump_in_this_line(length);
        return true;
    }
};

/// A name: `[A-Za-z_][A-Za-z0-9_-]*`, not ending in '-', and not a reserved word.
struct identifier {
    using rule_t = identifier;
    using subs_t = peg::empty_list;
    template <typename ParseInput> [[nodiscard]] static bool match(ParseInput& in) {
        const char* p = in.current();
        const char* end = in.end();
        if (p == end || !(is_ident_other(*p) && !(*p >= '0' && *p <= '9'))) {
            return false;
        }
        const char* last = scan_name_tail(p + 1, end);
        std::string_view word(p, static_cast<std::size_t>(last - p));
        if (is_reserved(word)) {
            return false;
        }
        in.bump_in_this_line(word.size());
        return true;
    }
};

struct kw_pipeline : kw<'p', 'i', 'p', 'e', 'l', 'i', 'n', 'e'> {};
struct kw_kind : kw<'k', 'i', 'n', 'd'> {};
struct kw_import : kw<'i', 'm', 'p', 'o', 'r', 't'> {};
struct kw_let : kw<'l', 'e', 't'> {};
struct kw_param : kw<'p', 'a', 'r', 'a', 'm'> {};
struct kw_secret : kw<'s', 'e', 'c', 'r', 'e', 't'> {};
struct kw_fn : kw<'f', 'n'> {};
struct kw_stage : kw<'s', 't', 'a', 'g', 'e'> {};
struct kw_needs : kw<'n', 'e', 'e', 'd', 's'> {};
struct kw_when : kw<'w', 'h', 'e', 'n'> {};
struct kw_matrix : kw<'m', 'a', 't', 'r', 'i', 'x'> {};
struct kw_in : kw<'i', 'n'> {};
struct kw_inputs : kw<'i', 'n', 'p', 'u', 't', 's'> {};
struct kw_timeout : kw<'t', 'i', 'm', 'e', 'o', 'u', 't'> {};
struct kw_retry : kw<'r', 'e', 't', 'r', 'y'> {};
struct kw_manual : kw<'m', 'a', 'n', 'u', 'a', 'l'> {};
struct kw_artifact : kw<'a', 'r', 't', 'i', 'f', 'a', 'c', 't'> {};
struct kw_else : kw<'e', 'l', 's', 'e'> {};
struct kw_and : kw<'a', 'n', 'd'> {};
struct kw_or : kw<'o', 'r'> {};
struct kw_not : kw<'n', 'o', 't'> {};
struct kw_true : kw<'t', 'r', 'u', 'e'> {};
struct kw_false : kw<'f', 'a', 'l', 's', 'e'> {};
struct kw_develop : kw<'d', 'e', 'v', 'e', 'l', 'o', 'p'> {};
struct kw_master : kw<'m', 'a', 's', 't', 'e', 'r'> {};
struct kw_main : kw<'m', 'a', 'i', 'n'> {};
struct kw_feature : kw<'f', 'e', 'a', 't', 'u', 'r', 'e'> {};
struct kw_release : kw<'r', 'e', 'l', 'e', 'a', 's', 'e'> {};
struct kw_hotfix : kw<'h', 'o', 't', 'f', 'i', 'x'> {};
struct kw_support : kw<'s', 'u', 'p', 'p', 'o', 'r', 't'> {};
struct kw_branch : kw<'b', 'r', 'a', 'n', 'c', 'h'> {};
struct kw_tag : kw<'t', 'a', 'g'> {};
struct kw_env : kw<'e', 'n', 'v'> {};


// ---- choices by the next byte ------------------------------------------------------------------------------
// A sor whose alternatives each begin with a known set of bytes: an alternative that cannot begin with the
// next byte cannot match, and trying it would only cost.

/// An alternative that begins with one of `Firsts`.
template <typename Rule, char... Firsts> struct begins_with {
    using rule = Rule;
    static constexpr bool can_begin(char c) { return ((c == Firsts) || ...); }
};

/// An alternative that begins with a name's first character.
template <typename Rule> struct begins_with_name {
    using rule = Rule;
    static constexpr bool can_begin(char c) { return is_ident_other(c) && !(c >= '0' && c <= '9'); }
};

/// `sor<Cases::rule...>`, trying only the alternatives that can begin with the next byte.
template <typename... Cases> struct sor_by_first_byte {
    using rule_t = typename sor<typename Cases::rule...>::rule_t; // what the grammar analysis sees
    template <peg::apply_mode A, peg::rewind_mode, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
        if (in.empty()) {
            return false;
        }
        char c = in.peek_char();
        return ((Cases::can_begin(c) &&
                 Control<typename Cases::rule>::template match<A, peg::rewind_mode::required, Action, Control>(in, st...)) ||
                ...);
    }
};

// ---- strings: "text \" \\ \n \t \$ and ${expr}" -------------------------------------------------------
struct expr;
struct string_open : one<'"'> {};
struct string_close : one<'"'> {};
/// `plus<sor<not_one<'"', '\\', '$', '\n', '\r'>, seq<one<'$'>, not_at<one<'{'>>>>>`, by hand: a loop over
/// the bytes rather than a choice per byte.
struct string_chars {
    using rule_t = plus<sor<not_one<'"', '\\', '$', '\n', '\r'>, seq<one<'$'>, not_at<one<'{'>>>>>::rule_t;
    /// The end of the string characters from `p`.
    static constexpr const char* scan(const char* p, const char* end) {
        while (p < end) {
            char c = *p;
            if (c == '"' || c == '\\' || c == '\n' || c == '\r' || (c == '$' && p + 1 < end && p[1] == '{')) {
                break;
            }
            ++p;
        }
        return p;
    }
    template <typename ParseInput> [[nodiscard]] static bool match(ParseInput& in) {
        const char* last = scan(in.current(), in.end());
        if (last == in.current()) {
            return false;
        }
        in.bump_in_this_line(static_cast<std::size_t>(last - in.current()));
        return true;
    }
};
struct escape_char : one<'"', '\\', 'n', 't', '$'> {};
struct escape : seq<one<'\\'>, must<escape_char>> {};
struct interpolation_open : string<'$', '{'> {};
struct interpolation_expr;
struct interpolation_close : one<'}'> {};
struct interpolation : seq<interpolation_open, ws, must<interpolation_expr>, ws, must<interpolation_close>> {};
struct string_literal {
    using rule_t = seq<string_open, star<sor<string_chars, escape, interpolation>>, must<string_close>>::rule_t;
    template <peg::apply_mode A, peg::rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
        // Most strings are plain text up to the closing quote, with no escape, interpolation or error.
        if (in.empty() || in.peek_char() != '"') {
            return false;
        }
        const char* close = string_chars::scan(in.current() + 1, in.end());
        if (close < in.end() && *close == '"') {
            in.bump_in_this_line(static_cast<std::size_t>(close + 1 - in.current()));
            return true;
        }
        return rule_t::template match<A, M, Action, Control>(in, st...);
    }
};

// ---- numbers: 42, 30s, 250ms, 80%, 99.5%, and 3.11 (read so that the checker can say it has no type) ----
struct digits : plus<digit> {};
struct fraction_digits : seq<digits> {};
struct number_end : not_at<ranges<'a', 'z', 'A', 'Z', '0', '9', '_', '_'>> {};
struct decimal_percent : seq<digits, one<'.'>, must<fraction_digits>, one<'%'>, must<number_end>> {};
// `3.11` or `1.2.3`: most often a version written without quotes (the YAML habit).
struct decimal_number : seq<digits, plus<one<'.'>, digits>, must<number_end>> {};
// Any word after the digits is read as the unit, so that `10min` is one number with an unknown unit
// (the parser names it and suggests `10m`) rather than `10m` followed by a stray `in`.
struct number_unit : seq<ranges<'a', 'z', 'A', 'Z'>, star<ranges<'a', 'z', 'A', 'Z', '0', '9', '_', '_'>>> {};
struct whole_number : seq<digits, opt<sor<one<'%'>, number_unit>>, must<number_end>> {};
struct number_literal : sor<decimal_percent, decimal_number, whole_number> {};
struct bool_literal : sor<kw_true, kw_false> {};

// ---- ref patterns: develop, master, main, feature/GLOB, ..., branch "glob", tag "glob" ------------------
struct glob : plus<sor<alnum, one<'_', '.', '*', '?', '-', '/'>>> {};
struct ref_slash : one<'/'> {};
struct ref_glob : seq<glob> {};
struct branch_kind : sor<kw_feature, kw_release, kw_hotfix, kw_support> {};
struct branch_pattern : seq<string_literal> {};
struct tag_pattern : seq<string_literal> {};
// A branch kind is a ref pattern only with its '/': `release` alone is a name (`stage release`).
struct refpat : sor<kw_develop, kw_master, kw_main, seq<branch_kind, ref_slash, must<ref_glob>>,
                    seq<kw_branch, ws, must<branch_pattern>>, seq<kw_tag, ws, must<tag_pattern>>> {};

// ---- expressions --------------------------------------------------------------------------------------
struct callee : seq<identifier> {};
struct call_open : one<'('> {};
struct call_close : one<')'> {};
struct argument_label : seq<identifier, ws, one<':'>> {};
struct argument_value;
struct keyword_argument : seq<argument_label, ws, must<argument_value>> {};
struct positional_argument;
struct argument : sor<keyword_argument, positional_argument> {};
struct first_argument : seq<argument> {};
struct next_argument : seq<argument> {};
struct call_arguments : seq<call_open, ws,
                            sor<call_close, seq<must<first_argument>, ws,
                                                star<one<','>, ws, sor<at<call_close>, must<next_argument>>, ws>,
                                                must<call_close>>>> {};
struct call : seq<callee, call_arguments> {};

struct member_name : seq<identifier> {};
struct member_access : seq<one<'.'>, must<member_name>> {};
// `call | IDENT ["." IDENT]` of the EBNF, with the leading name matched once.
struct call_or_name : seq<callee, opt<sor<call_arguments, member_access>>> {};

struct list_open : one<'['> {};
struct list_close : one<']'> {};
struct first_list_item;
struct next_list_item;
struct list : seq<list_open, ws,
                  sor<list_close, seq<must<first_list_item>, ws,
                                      star<one<','>, ws, sor<at<list_close>, must<next_list_item>>, ws>,
                                      must<list_close>>>> {};

struct record_open : one<'{'> {};
struct record_close : one<'}'> {};
struct record_key : sor<string_literal, identifier> {};
struct record_colon : one<':'> {};
struct record_value;
struct record_entry : seq<record_key, ws, must<record_colon>, ws, must<record_value>> {};
struct first_record_entry : seq<record_entry> {};
struct next_record_entry : seq<record_entry> {};
struct record : seq<record_open, ws,
                    sor<record_close, seq<must<first_record_entry>, ws,
                                          star<one<','>, ws, sor<at<record_close>, must<next_record_entry>>, ws>,
                                          must<record_close>>>> {};

struct paren_open : one<'('> {};
struct paren_expr;
struct paren_close : one<')'> {};
struct parenthesized : seq<paren_open, ws, must<paren_expr>, ws, must<paren_close>> {};

struct literal : sor<string_literal, number_literal, bool_literal> {};
struct primary
    : sor_by_first_byte<begins_with<literal, '"', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 't', 'f'>,
                        begins_with<refpat, 'd', 'm', 'f', 'r', 'h', 's', 'b', 't'>, begins_with_name<call_or_name>,
                        begins_with<list, '['>, begins_with<record, '{'>, begins_with<parenthesized, '('>> {};

struct sum;
struct compare;
struct neg;
struct conj;
struct expr;

struct plus_operand : seq<primary> {};
struct plus_tail : seq<one<'+'>, ws, must<plus_operand>> {};

struct equal_operand : seq<sum> {};
struct not_equal_operand : seq<sum> {};
struct compare_tail : sor<seq<string<'=', '='>, ws, must<equal_operand>>, seq<string<'!', '='>, ws, must<not_equal_operand>>> {};

struct not_operand;
struct negation : seq<kw_not, ws, must<not_operand>> {};
struct not_operand : seq<not_at<one<'{'>>, neg> {};

struct and_operand : seq<not_at<one<'{'>>, neg> {};
struct and_tail : seq<kw_and, ws, must<and_operand>> {};

struct or_operand : seq<not_at<one<'{'>>, conj> {};
struct pipe_operand : seq<not_at<one<'{'>>, conj> {};
struct or_tail : sor<seq<kw_or, ws, must<or_operand>>, seq<one<'|'>, ws, must<pipe_operand>>> {};

/// The levels of operators from the strongest (sum) to the weakest (expr), matched by hand as the rule_t of
/// each level says. Most operands have no operator after them: an operator's tail (and the ws before it) is
/// tried only where the next byte can begin it, and a level joins its operands (the action of its rule)
/// only when it has an operator, without the matching machinery of a rule per level for every operand.
template <int Level> struct tower {
    template <typename Rule, template <typename...> class Action, template <typename...> class Control,
              typename ParseInput, typename... States>
    static void join(const typename ParseInput::iterator_t& begin, const ParseInput& in, States&&... st) {
        if constexpr (peg::internal::has_apply<Control<Rule>, void, Action, const typename ParseInput::iterator_t&,
                                               const ParseInput&, States...>) {
            Control<Rule>::template apply<Action>(begin, in, st...);
        }
    }

    /// `star<ws, Tail>`, or `opt<ws, Tail>` if not `Repeat`, where Tail begins with one of `Firsts`; whether
    /// a Tail matched.
    template <peg::apply_mode A, template <typename...> class Action, template <typename...> class Control,
              bool Repeat, typename Tail, char... Firsts, typename ParseInput, typename... States>
    static bool tails(ParseInput& in, States&&... st) {
        bool any = false;
        while (!any || Repeat) {
            auto before = in.iterator();
            (void)Control<ws>::template match<A, peg::rewind_mode::dontcare, Action, Control>(in, st...);
            if (in.empty() || !((in.peek_char() == Firsts) || ...) ||
                !Control<Tail>::template match<A, peg::rewind_mode::required, Action, Control>(in, st...)) {
                in.iterator() = before;
                return any;
            }
            any = true;
        }
        return any;
    }

    /// Matches the level; joins its operands too when `join_self` (the rule of the level does it otherwise).
    template <bool join_self, peg::apply_mode A, peg::rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    static bool level(ParseInput& in, States&&... st) {
        auto begin = in.iterator();
        constexpr bool act = A == peg::apply_mode::action;
        if constexpr (Level == 0) { // sum: primary ("+" primary)*
            if (!Control<primary>::template match<A, M, Action, Control>(in, st...)) {
                return false;
            }
            if (tails<A, Action, Control, true, plus_tail, '+'>(in, st...) && join_self && act) {
                join<sum, Action, Control>(begin, in, st...);
            }
        } else if constexpr (Level == 1) { // compare: sum [("==" | "!=") sum]
            if (!tower<0>::template level<true, A, M, Action, Control>(in, st...)) {
                return false;
            }
            if (tower<0>::template tails<A, Action, Control, false, compare_tail, '=', '!'>(in, st...) && join_self && act) {
                join<compare, Action, Control>(begin, in, st...);
            }
        } else if constexpr (Level == 2) { // neg: negation | compare
            if (!in.empty() && in.peek_char() == 'n' &&
                Control<negation>::template match<A, peg::rewind_mode::required, Action, Control>(in, st...)) {
                return true;
            }
            return tower<1>::template level<true, A, M, Action, Control>(in, st...);
        } else if constexpr (Level == 3) { // conj: neg ("and" neg)*
            if (!tower<2>::template level<true, A, M, Action, Control>(in, st...)) {
                return false;
            }
            if (tower<0>::template tails<A, Action, Control, true, and_tail, 'a'>(in, st...) && join_self && act) {
                join<conj, Action, Control>(begin, in, st...);
            }
        } else { // expr: conj (("or" | "|") conj)*
            if (!tower<3>::template level<true, A, M, Action, Control>(in, st...)) {
                return false;
            }
            if (tower<0>::template tails<A, Action, Control, true, or_tail, 'o', '|'>(in, st...) && join_self && act) {
                join<expr, Action, Control>(begin, in, st...);
            }
        }
        return true;
    }

    template <peg::apply_mode A, peg::rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
        return level<false, A, M, Action, Control>(in, st...);
    }
};

struct sum : tower<0> {
    using rule_t = seq<primary, star<ws, plus_tail>>::rule_t;
};
struct compare : tower<1> {
    using rule_t = seq<sum, opt<ws, compare_tail>>::rule_t;
};
struct neg : tower<2> {
    using rule_t = sor<negation, compare>::rule_t;
};
struct conj : tower<3> {
    using rule_t = seq<neg, star<ws, and_tail>>::rule_t;
};
struct expr : tower<4> {
    using rule_t = seq<conj, star<ws, or_tail>>::rule_t;
};

struct interpolation_expr : seq<expr> {};
struct argument_value : seq<expr> {};
struct positional_argument : seq<expr> {};
struct first_list_item : seq<expr> {};
struct next_list_item : seq<expr> {};
struct record_value : seq<expr> {};
struct paren_expr : seq<expr> {};

// ---- types ----------------------------------------------------------------------------------------------
struct type;
struct list_type_open : one<'<'> {};
struct artifact_type_open : one<'<'> {};
struct type_close : one<'>'> {};
struct element_type;
struct artifact_kind
    : sor<kw<'f', 'i', 'l', 'e'>, kw<'d', 'i', 'r'>, kw<'r', 'e', 'p', 'o', 'r', 't'>, kw<'s', 'd', 'i', 's', 't'>,
          kw<'w', 'h', 'e', 'e', 'l'>, kw<'v', 'e', 'n', 'v'>, kw<'d', 'e', 'b'>, kw<'i', 'm', 'a', 'g', 'e'>> {};
struct list_type : seq<kw<'l', 'i', 's', 't'>, ws, must<list_type_open>, ws, must<element_type>, ws, must<type_close>> {};
struct artifact_type : seq<kw_artifact, ws, must<artifact_type_open>, ws, must<artifact_kind>, ws, must<type_close>> {};
struct simple_type
    : sor<kw<'s', 't', 'r'>, kw<'i', 'n', 't'>, kw<'b', 'o', 'o', 'l'>, kw<'d', 'u', 'r', 'a', 't', 'i', 'o', 'n'>,
          kw<'p', 'e', 'r', 'c', 'e', 'n', 't'>, kw<'c', 'o', 'n', 'd'>, kw<'t', 'a', 'r', 'g', 'e', 't'>,
          kw<'r', 'e', 'c', 'o', 'r', 'd'>> {};
struct type : sor<list_type, artifact_type, simple_type> {};
struct element_type : seq<type> {};

// ---- statements and blocks --------------------------------------------------------------------------------
struct stmt;
struct block_open : one<'{'> {};
struct block_close : one<'}'> {};
struct block : seq<block_open, ws, star<stmt, ws>, must<block_close>> {};

struct artifact_name : seq<identifier> {};
struct artifact_equals : one<'='> {};
struct artifact_value : seq<expr> {};
struct artifact_stmt
    : seq<kw_artifact, ws, must<artifact_name>, ws, must<artifact_equals>, ws, must<artifact_value>> {};

struct let_name : seq<identifier> {};
struct let_type : seq<type> {};
struct let_annotation : seq<one<':'>, ws, must<let_type>> {};
struct let_equals : one<'='> {};
struct let_value : seq<expr> {};
struct let : seq<kw_let, ws, must<let_name>, ws, opt<let_annotation, ws>, must<let_equals>, ws, must<let_value>> {};

// A '{' after a condition's operator or keyword opens a body, never a record: the operand is missing.
struct when_condition : seq<not_at<one<'{'>>, expr> {};
struct when_block : seq<block> {};
struct else_block : seq<block> {};
struct when_stmt
    : seq<kw_when, ws, must<when_condition>, ws, must<when_block>, opt<ws, kw_else, ws, must<else_block>>> {};

struct stmt_call : seq<call> {};
struct trailing_block : seq<block> {};
struct call_stmt : seq<at<identifier>, must<stmt_call>, opt<ws, trailing_block>> {};

struct stmt : sor_by_first_byte<begins_with<artifact_stmt, 'a'>, begins_with<let, 'l'>, begins_with<when_stmt, 'w'>,
                                begins_with_name<call_stmt>> {};

// ---- declarations ---------------------------------------------------------------------------------------
struct pipeline_name : sor<string_literal, identifier> {};
struct pipeline_kind
    : sor<kw<'l', 'i', 'b', 'r', 'a', 'r', 'y'>, kw<'a', 'p', 'p', 'l', 'i', 'c', 'a', 't', 'i', 'o', 'n'>,
          kw<'d', 'e', 'p', 'l', 'o', 'y', 'm', 'e', 'n', 't'>> {};
struct header : seq<kw_pipeline, ws, must<pipeline_name>, opt<ws, kw_kind, ws, must<pipeline_kind>>> {};

struct import_path : seq<string_literal> {};
struct import : seq<kw_import, ws, must<import_path>> {};

struct param_name : seq<identifier> {};
struct param_colon : one<':'> {};
struct param_type : seq<type> {};
struct param_default : seq<expr> {};
struct param : seq<kw_param, ws, must<param_name>, ws, must<param_colon>, ws, must<param_type>,
                   opt<ws, one<'='>, ws, must<param_default>>> {};

struct secret_name : seq<identifier> {};
struct secret_equals : one<'='> {};
struct secret_env : seq<kw_env> {};
struct secret_open : one<'('> {};
struct secret_variable : seq<string_literal> {};
struct secret_close : one<')'> {};
struct secret : seq<kw_secret, ws, must<secret_name>, ws, must<secret_equals>, ws, must<secret_env>, ws,
                    must<secret_open>, ws, must<secret_variable>, ws, must<secret_close>> {};

struct fn_name : seq<identifier> {};
struct fn_open : one<'('> {};
struct fn_close : one<')'> {};
struct fn_param_name : seq<identifier> {};
struct fn_param_colon : one<':'> {};
struct fn_param_type : seq<type> {};
struct fn_param : seq<fn_param_name, ws, must<fn_param_colon>, ws, must<fn_param_type>> {};
struct first_fn_param : seq<fn_param> {};
struct next_fn_param : seq<fn_param> {};
struct fn_body : seq<block> {};
struct fn : seq<kw_fn, ws, must<fn_name>, ws, must<fn_open>, ws,
                sor<fn_close, seq<must<first_fn_param>, ws, star<one<','>, ws, must<next_fn_param>, ws>,
                                  must<fn_close>>>,
                ws, must<fn_body>> {};

struct stage_name : seq<identifier> {};
struct needed_stage : seq<identifier> {};
struct needs_clause : seq<kw_needs, ws, must<needed_stage>, star<ws, one<','>, ws, must<needed_stage>>> {};
struct stage_condition : seq<not_at<one<'{'>>, expr> {};
struct when_clause : seq<kw_when, ws, must<stage_condition>> {};
struct matrix_variable : seq<identifier> {};
struct matrix_in : seq<kw_in> {};
// A '{' after a condition's operator or keyword opens a body, never a record: the operand is missing.
struct matrix_values : seq<not_at<one<'{'>>, expr> {};
struct matrix_clause
    : seq<kw_matrix, ws, must<matrix_variable>, ws, must<matrix_in>, ws, must<matrix_values>> {};
struct input_pattern : seq<string_literal> {};
struct inputs_clause : seq<kw_inputs, ws, must<input_pattern>, star<ws, one<','>, ws, must<input_pattern>>> {};
struct timeout_duration : seq<number_literal> {};
struct timeout_clause : seq<kw_timeout, ws, must<timeout_duration>> {};
struct retry_count : seq<number_literal> {};
struct retry_clause : seq<kw_retry, ws, must<retry_count>> {};
struct manual_clause : seq<kw_manual> {};
// `env` and `allow_failure` are clause words only here, in a stage's header: `env("HOME")` stays a call.
struct env_record : seq<record> {};
struct env_clause : seq<kw_env, ws, must<env_record>> {};
struct allow_failure_clause
    : seq<kw<'a', 'l', 'l', 'o', 'w', '_', 'f', 'a', 'i', 'l', 'u', 'r', 'e'>> {};
struct clause
    : sor_by_first_byte<begins_with<needs_clause, 'n'>, begins_with<when_clause, 'w'>, begins_with<matrix_clause, 'm'>,
                        begins_with<inputs_clause, 'i'>, begins_with<timeout_clause, 't'>,
                        begins_with<retry_clause, 'r'>, begins_with<manual_clause, 'm'>, begins_with<env_clause, 'e'>,
                        begins_with<allow_failure_clause, 'a'>> {};
struct stage_body : seq<block> {};
struct stage : seq<kw_stage, ws, must<stage_name>, ws, star<clause, ws>, must<stage_body>> {};

struct decl : sor_by_first_byte<begins_with<import, 'i'>, begins_with<let, 'l'>, begins_with<param, 'p'>,
                                begins_with<secret, 's'>, begins_with<fn, 'f'>, begins_with<stage, 's'>> {};

// A single expression, for values given on the command line (`-p pythons='["3.11"]'`) and the REPL.
struct expression_value : seq<expr> {};
struct expression_end : eof {};
struct lone_expression : seq<ws, must<expression_value>, ws, must<expression_end>> {};

// The parser drives the file one declaration at a time so that it can recover after an error.
struct file_header : seq<ws, opt<header>> {};
struct next_decl : seq<ws, sor<eof, must<decl>>> {};

} // namespace chain::rules
