#include "conditions_export.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace chain::conditions {

namespace {

/// A condition over what the engines can test of a ref, negations pushed down to the tests.
struct Test {
    enum Kind { constant, atom, all, any, negation } kind = constant;
    bool value = true; // constant
    // atom: the ref is a branch (or tag) whose name matches `glob`; or, for `ref() == "x"`, is named x.
    enum Subject { branch, tag, ref_name } subject = branch;
    std::string glob;
    bool negated = false;
    std::vector<Test> parts;

    static Test of(bool value) { return Test{constant, value, branch, "", false, {}}; }
    static Test match(Subject subject, std::string glob) { return Test{atom, true, subject, std::move(glob), false, {}}; }
};

/// Pushes negations down to the atoms (De Morgan) and folds constants.
Test normalized(const Test& test, bool negate = false) {
    switch (test.kind) {
    case Test::constant: return Test::of(test.value != negate);
    case Test::atom: {
        Test copy = test;
        copy.negated = test.negated != negate;
        return copy;
    }
    case Test::negation: return normalized(test.parts.front(), !negate);
    case Test::all:
    case Test::any: {
        bool conjunction = (test.kind == Test::all) != negate;
        Test result{conjunction ? Test::all : Test::any, true, Test::branch, "", false, {}};
        for (const Test& part : test.parts) {
            Test inner = normalized(part, negate);
            if (inner.kind == Test::constant) {
                if (inner.value != conjunction) {
                    return Test::of(!conjunction); // false in an all, true in an any decides it
                }
                continue;
            }
            if (inner.kind == result.kind) { // a | (b | c) is a | b | c
                result.parts.insert(result.parts.end(), inner.parts.begin(), inner.parts.end());
            } else {
                result.parts.push_back(std::move(inner));
            }
        }
        if (result.parts.empty()) {
            return Test::of(conjunction);
        }
        return result.parts.size() == 1 ? result.parts.front() : result;
    }
    }
    return test;
}

Test pattern_test(const ast::RefPattern& pattern) {
    switch (pattern.kind) {
    case ast::RefKind::develop: return Test::match(Test::branch, "develop");
    case ast::RefKind::main: return Test::match(Test::branch, "main");
    case ast::RefKind::master:
        return Test{Test::any, true, Test::branch, "", false,
                    {Test::match(Test::branch, "master"), Test::match(Test::branch, "main")}};
    case ast::RefKind::feature: return Test::match(Test::branch, "feature/" + pattern.glob);
    case ast::RefKind::release: return Test::match(Test::branch, "release/" + pattern.glob);
    case ast::RefKind::hotfix: return Test::match(Test::branch, "hotfix/" + pattern.glob);
    case ast::RefKind::support: return Test::match(Test::branch, "support/" + pattern.glob);
    case ast::RefKind::branch: return Test::match(Test::branch, pattern.glob);
    case ast::RefKind::tag: return Test::match(Test::tag, pattern.glob);
    }
    return Test::of(false);
}

/// The test of a condition, or why an engine cannot test it.
std::optional<Test> engine_test(const Formula& node, const Values& values, std::string& why, std::size_t depth) {
    if (depth > values.depth_limit) {
        why = "its lets nest too deep";
        return std::nullopt;
    }
    switch (node.kind) {
    case Formula::Kind::pattern: return pattern_test(*node.pattern);
    case Formula::Kind::constant: return Test::of(node.constant);
    case Formula::Kind::value: {
        if (!node.value) {
            why = fmt::format("'{}' is not a top-level value", node.name);
            return std::nullopt;
        }
        if (auto known = values.of ? values.of(node) : std::nullopt) {
            return Test::of(*known);
        }
        if (!node.definition) {
            why = fmt::format("'{}' has no value", node.name);
            return std::nullopt;
        }
        return engine_test(*node.definition, values, why, depth + 1);
    }
    case Formula::Kind::negation: {
        auto inner = engine_test(*node.parts.front(), values, why, depth + 1);
        return inner ? std::optional(Test{Test::negation, true, Test::branch, "", false, {*inner}}) : std::nullopt;
    }
    case Formula::Kind::comparison: {
        const Operand& lhs = node.texts[0];
        const Operand& rhs = node.texts[1];
        const std::optional<std::string>& name =
            lhs.calls_ref ? rhs.written_text : rhs.calls_ref ? lhs.written_text : std::nullopt;
        if (!name) {
            why = "only ref() == \"NAME\" can be compared in a condition an engine tests";
            return std::nullopt;
        }
        Test test = Test::match(Test::ref_name, *name);
        test.negated = !node.equal;
        return test;
    }
    case Formula::Kind::all:
    case Formula::Kind::any: {
        Test test{node.kind == Formula::Kind::all ? Test::all : Test::any, true, Test::branch, "", false, {}};
        for (const Formula* part : node.parts) {
            auto read = engine_test(*part, values, why, depth + 1);
            if (!read) {
                return std::nullopt;
            }
            test.parts.push_back(std::move(*read));
        }
        return test;
    }
    case Formula::Kind::other: break;
    }
    why = "it is not made of ref patterns, bool values, and, or and not";
    return std::nullopt;
}

bool has_wildcard(const std::string& glob) { return glob.find_first_of("*?") != std::string::npos; }

/// A ref pattern with a control character matches no ref (git refuses them in names); it is refused
/// rather than written into an expression.
bool matchable(const std::string& glob, std::string& why) {
    if (glob.find("${{") != std::string::npos) {
        why = fmt::format("the ref pattern {} has '${{{{', which GitHub would evaluate", nlohmann::json(glob).dump());
        return false;
    }
    for (char c : glob) {
        if ((c >= 0 && c < 0x20) || c == 0x7f) {
            why = fmt::format("the ref pattern {} has a control character, which no git ref name has",
                              nlohmann::json(glob).dump());
            return false;
        }
    }
    return true;
}

std::string gitlab_regex(const std::string& glob) {
    std::string out = "/^";
    for (char c : glob) {
        if (c == '*') {
            out += ".*";
        } else if (c == '?') {
            out += ".";
        } else if (std::string_view("\\.+()[]{}^$|/").find(c) != std::string_view::npos) {
            out += std::string("\\") + c;
        } else {
            out += c;
        }
    }
    return out + "$/";
}

/// A string in a GitLab expression: its literals have no escapes, so a quote the text lacks delimits it.
std::optional<std::string> gitlab_string(const std::string& text, std::string& why) {
    if (text.find('"') == std::string::npos) {
        return "\"" + text + "\"";
    }
    if (text.find('\'') == std::string::npos) {
        return "'" + text + "'";
    }
    why = fmt::format("GitLab's expressions cannot hold the name {}, which has both kinds of quote",
                      nlohmann::json(text).dump());
    return std::nullopt;
}

using AtomText = std::optional<std::string> (*)(const Test& atom, std::string& why);

/// An all or any of tests, each in the engine's words, nested ones in parentheses.
std::optional<std::string> engine_text(const Test& test, AtomText atom_text, std::string& why) {
    if (test.kind == Test::atom) {
        return matchable(test.glob, why) ? atom_text(test, why) : std::nullopt;
    }
    if (test.kind != Test::all && test.kind != Test::any) {
        return std::string();
    }
    std::string out;
    for (const Test& part : test.parts) {
        std::optional<std::string> text = engine_text(part, atom_text, why);
        if (!text) {
            return std::nullopt;
        }
        if (part.kind == Test::all || part.kind == Test::any) {
            *text = "(" + *text + ")";
        }
        out += (out.empty() ? "" : test.kind == Test::all ? " && " : " || ") + *text;
    }
    return out;
}

std::optional<std::string> gitlab_atom(const Test& atom, std::string& why) {
    std::string variable = atom.subject == Test::branch ? "$CI_COMMIT_BRANCH"
                           : atom.subject == Test::tag  ? "$CI_COMMIT_TAG"
                                                        : "$CI_COMMIT_REF_NAME";
    if (atom.subject != Test::ref_name && has_wildcard(atom.glob)) {
        return fmt::format("{} {} {}", variable, atom.negated ? "!~" : "=~", gitlab_regex(atom.glob));
    }
    std::optional<std::string> name = gitlab_string(atom.glob, why);
    return name ? std::optional(fmt::format("{} {} {}", variable, atom.negated ? "!=" : "==", *name)) : std::nullopt;
}

std::optional<std::string> github_atom(const Test& atom, std::string& why) {
    if (atom.subject == Test::ref_name) {
        return fmt::format("github.ref_name {} {}", atom.negated ? "!=" : "==", github_string(atom.glob));
    }
    std::string prefix = atom.subject == Test::branch ? "refs/heads/" : "refs/tags/";
    std::size_t wildcard = atom.glob.find_first_of("*?");
    std::string test;
    if (wildcard == std::string::npos) {
        // `!` binds tighter than `==` in GitHub's expressions: a negated exact ref is `!=`, never `!a == b`.
        return fmt::format("github.ref {} {}", atom.negated ? "!=" : "==", github_string(prefix + atom.glob));
    } else if (wildcard == atom.glob.size() - 1 && atom.glob.back() == '*') {
        test = fmt::format("startsWith(github.ref, {})", github_string(prefix + atom.glob.substr(0, wildcard)));
    } else {
        why = fmt::format("GitHub's expressions match a ref only exactly or by its beginning, not by the pattern '{}'",
                          atom.glob);
        return std::nullopt;
    }
    return atom.negated ? "!" + test : test;
}

EngineRule engine_rule(const Formula& formula, const Values& values, AtomText atom_text) {
    std::string why;
    std::optional<Test> test = engine_test(formula, values, why, 0);
    if (!test) {
        return EngineRule{EngineRule::Kind::refused, why};
    }
    Test normal = normalized(*test);
    if (normal.kind == Test::constant) {
        return EngineRule{normal.value ? EngineRule::Kind::always : EngineRule::Kind::never, ""};
    }
    std::optional<std::string> text = engine_text(normal, atom_text, why);
    return text ? EngineRule{EngineRule::Kind::test, *text} : EngineRule{EngineRule::Kind::refused, why};
}

} // namespace

EngineRule to_gitlab_rule(const Formula& formula, const Values& values) { return engine_rule(formula, values, gitlab_atom); }

EngineRule to_github_if(const Formula& formula, const Values& values) { return engine_rule(formula, values, github_atom); }

std::string github_string(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        out += c == '\'' ? std::string("''") : std::string(1, c);
    }
    return out + "'";
}

} // namespace chain::conditions
