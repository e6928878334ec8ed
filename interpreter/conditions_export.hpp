#pragma once
// A condition translated into what a CI engine tests: GitLab's `rules: if:` and GitHub's `if:`.

#include "conditions.hpp"

#include <string>

namespace chain::conditions {

/// A condition as a CI engine is told it: always, never, a test in the engine's expressions, or refused
/// with why the engine cannot test it exactly. Negations are pushed down to the ref tests (De Morgan);
/// names the values know are taken at those values.
struct EngineRule {
    enum class Kind { always, never, test, refused } kind = Kind::always;
    std::string text; // test: the expression; refused: why
};
EngineRule to_gitlab_rule(const Formula& formula, const Values& values);
EngineRule to_github_if(const Formula& formula, const Values& values);

/// A string in a GitHub expression: between single quotes, a quote doubled.
std::string github_string(const std::string& text);

} // namespace chain::conditions
