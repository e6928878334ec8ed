#pragma once

#include "grammar/ast.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace chain::refs {

/// The git ref a pipeline runs for: a branch or a tag, by name.
struct Ref {
    bool is_tag = false;
    std::string name;
    friend bool operator==(const Ref&, const Ref&) = default;
};

/// A ref pattern as globs over full ref names; it matches when any of them does (`master` is also `main`).
struct RefGlob {
    bool is_tag = false;
    std::string glob;
    friend bool operator==(const RefGlob&, const RefGlob&) = default;
};
std::vector<RefGlob> globs_of(const ast::RefPattern& pattern);

bool matches(const ast::RefPattern& pattern, const Ref& ref);

/// Refs that together realise every combination of matches of `globs` that any ref could produce: one
/// witness per combination. Conditions see a ref only through which patterns match it, so evaluating a
/// condition on these witnesses evaluates it on every possible ref. The git-flow kinds are always included.
std::vector<Ref> witnesses(const std::vector<RefGlob>& globs);

/// How a ref reads in messages: `develop`, `release/*` for any release branch, `release/1.x` for a
/// particular one, `another branch`, `a tag`, `tag 'v1.x'`.
std::string describe(const Ref& ref);

} // namespace chain::refs
