#include "hints.hpp"

#include <fmt/format.h>

#include <string_view>

namespace chain::checker {

std::string joined_words(const std::vector<std::string>& words) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        out += i == 0 ? "" : i + 1 == words.size() ? " or " : ", ";
        out += words[i];
    }
    return out;
}

std::string did_you_mean(const std::string& closest) {
    return closest.empty() ? std::string() : fmt::format("did you mean '{}'?", closest);
}

std::string ref_pattern_hint(const std::string& name) {
    for (std::string_view kind : {"feature", "release", "hotfix", "support"}) {
        if (name == kind) {
            return fmt::format("{} branches are matched by {}/*", kind, kind);
        }
    }
    return "";
}

const char* const fraction_message = "a number with a fraction has no type in chain";

// Where text is wanted, or nothing says what is wanted, `3.11` is a version written without quotes (the
// habit of YAML), so the hint says how to write one; elsewhere it names what is wanted.
std::string fraction_hint(const std::string& written, const Type* expected) {
    Type::Kind wanted = expected ? expected->kind : Type::unknown;
    if (wanted == Type::list) {
        wanted = expected->element_type().kind;
    }
    if (wanted == Type::percent) {
        return "a percentage is written with '%', like 80% or 99.5%";
    }
    if (wanted == Type::unknown || wanted == Type::str) {
        return fmt::format("a version is text: write \"{}\"", written);
    }
    return fmt::format("{} is expected here", with_article(*expected));
}

} // namespace chain::checker
