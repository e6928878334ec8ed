#include "types.hpp"

#include <bit>

namespace chain {

namespace {

constexpr const char* artifact_names[] = {"file", "dir", "report", "sdist", "wheel", "venv", "deb", "image"};
constexpr const char* target_names[] = {"pypi", "apt", "registry", "local", "hosts"};

template <std::size_t N> std::string join_bits(unsigned bits, const char* const (&names)[N], const char* separator) {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) {
        if (bits & (1u << i)) {
            out += (out.empty() ? "" : separator);
            out += names[i];
        }
    }
    return out;
}

} // namespace

const Type& Type::element_type() const {
    static const Type unknown_type;
    return element ? *element : unknown_type;
}

Type Type::from_ast(const ast::TypeExpr& written) {
    switch (written.kind) {
    case ast::TypeKind::str: return of(str);
    case ast::TypeKind::int_: return of(int_);
    case ast::TypeKind::bool_: return of(bool_);
    case ast::TypeKind::duration: return of(duration);
    case ast::TypeKind::percent: return of(percent);
    case ast::TypeKind::cond: return of(cond);
    case ast::TypeKind::list: return list_of(from_ast(**written.element));
    case ast::TypeKind::artifact: return artifact_of(artifact_kind_of(written.artifact_kind));
    case ast::TypeKind::target: return target_of(target_any);
    case ast::TypeKind::record: return of(record);
    }
    return of(unknown);
}

std::string to_string(const Type& type) {
    switch (type.kind) {
    case Type::unknown: return "unknown";
    case Type::none: return "nothing";
    case Type::str: return "str";
    case Type::int_: return "int";
    case Type::bool_: return "bool";
    case Type::duration: return "duration";
    case Type::percent: return "percent";
    case Type::cond: return "cond";
    case Type::list: return "list<" + to_string(type.element_type()) + ">";
    case Type::artifact:
        return type.artifacts == artifact_any ? "artifact" : "artifact<" + join_bits(type.artifacts, artifact_names, "|") + ">";
    case Type::target:
        return type.targets == target_any ? "target" : join_bits(type.targets, target_names, " or ") + " target";
    case Type::record: return "record";
    }
    return "?";
}

std::string with_article(const Type& type) {
    std::string text = to_string(type);
    bool vowel = std::string_view("aeiou").find(text[0]) != std::string_view::npos;
    return (vowel ? "an " : "a ") + text;
}

bool fits(const Type& actual, const Type& expected) {
    if (actual.kind == Type::unknown || expected.kind == Type::unknown) {
        return true;
    }
    if (actual.kind != expected.kind) {
        return false;
    }
    switch (actual.kind) {
    case Type::list: return fits(actual.element_type(), expected.element_type());
    case Type::artifact: return (actual.artifacts & ~expected.artifacts) == 0;
    // A written `target` says no kind: it may be any, and is checked where its value is made.
    case Type::target: return actual.targets == target_any || (actual.targets & ~expected.targets) == 0;
    default: return true;
    }
}

bool has_text_form(const Type& type) {
    switch (type.kind) {
    case Type::unknown:
    case Type::str:
    case Type::int_:
    case Type::bool_:
    case Type::duration:
    case Type::percent:
    case Type::artifact: // its path in the artifact store
        return true;
    default:
        return false;
    }
}

const char* artifact_kind_name(std::uint16_t kind) {
    return std::has_single_bit(kind) ? artifact_names[std::countr_zero(kind)] : "artifact";
}

std::uint16_t artifact_kind_of(std::string_view name) {
    for (std::size_t i = 0; i < std::size(artifact_names); ++i) {
        if (name == artifact_names[i]) {
            return static_cast<std::uint16_t>(1u << i);
        }
    }
    return 0;
}

const char* target_kind_name(std::uint8_t kind) {
    return std::has_single_bit(kind) ? target_names[std::countr_zero(kind)] : "target";
}

} // namespace chain
