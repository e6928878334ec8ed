#include "refs.hpp"

#include "glob.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstdint>
#include <deque>
#include <map>
#include <unordered_set>

namespace chain::refs {

namespace {

constexpr std::string_view branch_kinds[] = {"feature", "release", "hotfix", "support"};

/// The positions of a glob that a prefix of the text can reach, as a bit set (globs up to 63 characters).
using Positions = std::uint64_t;
constexpr std::size_t max_glob_length = 63;

Positions close_over_stars(std::string_view glob, Positions positions) {
    for (std::size_t p = 0; p < glob.size(); ++p) {
        if ((positions >> p & 1) && glob[p] == '*') {
            positions |= Positions{1} << (p + 1);
        }
    }
    return positions;
}

Positions step(std::string_view glob, Positions positions, char c) {
    Positions next = 0;
    // Only the positions reached, lowest first; the one past the glob's end (accepted) reads nothing.
    for (Positions rest = positions; rest != 0; rest &= rest - 1) {
        auto p = static_cast<std::size_t>(std::countr_zero(rest));
        if (p >= glob.size()) {
            break;
        }
        if (glob[p] == '*') {
            next |= Positions{1} << p;
        } else if (glob[p] == '?' || glob[p] == c) {
            next |= Positions{1} << (p + 1);
        }
    }
    return close_over_stars(glob, next);
}

bool accepts(std::string_view glob, Positions positions) { return positions >> glob.size() & 1; }

/// Breadth-first search over the product of the globs' automata: every state reached by a non-empty name
/// gives the combination of globs that accept that name; the first (shortest) name of each is its witness.
std::vector<std::string> names_for_every_combination(const std::vector<std::string>& globs) {
    std::string alphabet;
    for (const std::string& glob : globs) {
        for (char c : glob) {
            if (c != '*' && c != '?' && alphabet.find(c) == std::string::npos) {
                alphabet += c;
            }
        }
    }
    // One character that no glob names stands for all the others.
    for (char c : std::string_view("xyzq0123456789")) {
        if (alphabet.find(c) == std::string::npos) {
            alphabet.insert(alphabet.begin(), c);
            break;
        }
    }
    std::sort(alphabet.begin() + 1, alphabet.end());

    using State = std::vector<Positions>;
    struct StateHash {
        std::size_t operator()(const State& state) const {
            std::size_t hash = state.size();
            for (Positions positions : state) {
                hash = (hash ^ positions) * 0x100000001b3;
            }
            return hash;
        }
    };
    // A combination of globs as bits, the first glob's the highest of the first word: the order of these
    // words is the order of the combinations as lists of yes and no, which orders the witnesses found.
    using Combination = std::vector<std::uint64_t>;
    auto accepted = [](const Combination& combination, std::size_t g) {
        return combination[g / 64] >> (63 - g % 64) & 1;
    };
    State start;
    for (const std::string& glob : globs) {
        start.push_back(close_over_stars(glob, 1));
    }
    std::map<Combination, std::string> witness_of;
    std::unordered_set<State, StateHash> seen{start};
    std::deque<std::pair<State, std::string>> queue{{start, ""}};
    constexpr std::size_t max_states = 20000;
    // Each step's state and combination are built in place; a name is made only for what is new.
    State next(globs.size());
    Combination combination((globs.size() + 63) / 64);
    while (!queue.empty() && seen.size() < max_states) {
        auto [state, name] = std::move(queue.front());
        queue.pop_front();
        for (char c : alphabet) {
            bool alive = false;
            std::fill(combination.begin(), combination.end(), 0);
            for (std::size_t g = 0; g < globs.size(); ++g) {
                next[g] = step(globs[g], state[g], c);
                alive = alive || next[g] != 0;
                combination[g / 64] |= std::uint64_t{accepts(globs[g], next[g])} << (63 - g % 64);
            }
            if (!witness_of.contains(combination)) {
                witness_of.emplace(combination, name + c);
            }
            if (alive && seen.insert(next).second) {
                queue.emplace_back(next, name + c);
            }
        }
    }
    std::vector<std::string> names;
    for (auto& [combination, name] : witness_of) {
        // Prefer `release/x` to `release/`: the same combination, and readable in messages.
        std::string longer = name + alphabet[0];
        bool same = !std::isalnum(static_cast<unsigned char>(name.back()));
        for (std::size_t g = 0; g < globs.size() && same; ++g) {
            Positions positions = close_over_stars(globs[g], 1);
            for (char c : longer) {
                positions = step(globs[g], positions, c);
            }
            same = accepts(globs[g], positions) == accepted(combination, g);
        }
        names.push_back(same ? longer : name);
    }
    return names;
}

int kind_rank(const Ref& ref) {
    if (ref.is_tag) {
        return 9;
    }
    if (ref.name == "develop") {
        return 0;
    }
    if (ref.name == "master") {
        return 1;
    }
    if (ref.name == "main") {
        return 2;
    }
    for (std::size_t k = 0; k < std::size(branch_kinds); ++k) {
        if (ref.name.starts_with(std::string(branch_kinds[k]) + "/")) {
            return 3 + static_cast<int>(k);
        }
    }
    return 8;
}

const char* ref_kind_word(ast::RefKind kind) {
    switch (kind) {
    case ast::RefKind::feature: return "feature";
    case ast::RefKind::release: return "release";
    case ast::RefKind::hotfix: return "hotfix";
    case ast::RefKind::support: return "support";
    default: return "";
    }
}

} // namespace

std::vector<RefGlob> globs_of(const ast::RefPattern& pattern) {
    switch (pattern.kind) {
    case ast::RefKind::develop: return {{false, "develop"}};
    case ast::RefKind::master: return {{false, "master"}, {false, "main"}};
    case ast::RefKind::main: return {{false, "main"}};
    case ast::RefKind::branch: return {{false, pattern.glob}};
    case ast::RefKind::tag: return {{true, pattern.glob}};
    default: return {{false, std::string(ref_kind_word(pattern.kind)) + "/" + pattern.glob}};
    }
}

bool matches(const ast::RefPattern& pattern, const Ref& ref) {
    // The same as matching globs_of(pattern), without building them: conditions are evaluated often.
    if (pattern.kind == ast::RefKind::tag) {
        return ref.is_tag && glob_match(pattern.glob, ref.name);
    }
    if (ref.is_tag) {
        return false;
    }
    switch (pattern.kind) {
    case ast::RefKind::develop: return ref.name == "develop";
    case ast::RefKind::master: return ref.name == "master" || ref.name == "main";
    case ast::RefKind::main: return ref.name == "main";
    case ast::RefKind::branch: return glob_match(pattern.glob, ref.name);
    default: {
        std::string_view kind = ref_kind_word(pattern.kind);
        std::string_view name = ref.name;
        return name.size() > kind.size() && name.substr(0, kind.size()) == kind && name[kind.size()] == '/' &&
               glob_match(pattern.glob, name.substr(kind.size() + 1));
    }
    }
}

std::vector<Ref> witnesses(const std::vector<RefGlob>& globs) {
    std::vector<std::string> branch_globs = {"develop", "master", "main"};
    for (std::string_view kind : branch_kinds) {
        branch_globs.push_back(std::string(kind) + "/*");
    }
    std::vector<std::string> tag_globs = {"*"};
    for (const RefGlob& glob : globs) {
        auto& target = glob.is_tag ? tag_globs : branch_globs;
        if (glob.glob.size() <= max_glob_length && std::find(target.begin(), target.end(), glob.glob) == target.end()) {
            target.push_back(glob.glob);
        }
    }
    std::vector<Ref> refs;
    for (std::string& name : names_for_every_combination(branch_globs)) {
        refs.push_back(Ref{false, std::move(name)});
    }
    for (std::string& name : names_for_every_combination(tag_globs)) {
        refs.push_back(Ref{true, std::move(name)});
    }
    std::stable_sort(refs.begin(), refs.end(), [](const Ref& a, const Ref& b) {
        int ra = kind_rank(a), rb = kind_rank(b);
        return ra != rb ? ra < rb : a.name.size() != b.name.size() ? a.name.size() < b.name.size() : a.name < b.name;
    });
    return refs;
}

std::string describe(const Ref& ref) {
    if (ref.is_tag) {
        return ref.name.size() == 1 ? "a tag" : "tag '" + ref.name + "'";
    }
    if (ref.name == "develop" || ref.name == "master" || ref.name == "main") {
        return ref.name;
    }
    for (std::string_view kind : branch_kinds) {
        std::string prefix = std::string(kind) + "/";
        if (ref.name.starts_with(prefix)) {
            return ref.name.size() == prefix.size() + 1 ? prefix + "*" : ref.name;
        }
    }
    return ref.name.size() == 1 ? "another branch" : "branch '" + ref.name + "'";
}

} // namespace chain::refs
