#pragma once

#include "ast.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace chain {

/// Artifact kinds as bits, so that a parameter can accept several (`artifact<deb|dir>`).
enum ArtifactKind : std::uint16_t {
    artifact_file = 1 << 0,
    artifact_dir = 1 << 1,
    artifact_report = 1 << 2,
    artifact_sdist = 1 << 3,
    artifact_wheel = 1 << 4,
    artifact_venv = 1 << 5,
    artifact_deb = 1 << 6,
    artifact_image = 1 << 7,
    artifact_any = 0xFF,
};

/// Target kinds as bits, for the targets that pypi(), apt(), registry(), local() and hosts() make.
enum TargetKind : std::uint8_t {
    target_pypi = 1 << 0,
    target_apt = 1 << 1,
    target_registry = 1 << 2,
    target_local = 1 << 3,
    target_hosts = 1 << 4,
    target_any = 0x1F,
};

/// The type of a chain value. `unknown` is the type of an expression that already has an error, or the
/// element of an empty list: it fits everywhere, so that one mistake is reported once.
struct Type {
    enum Kind : std::uint8_t { unknown, none, str, int_, bool_, duration, percent, cond, list, artifact, target, record };

    Kind kind = unknown;
    std::uint16_t artifacts = 0; // for artifact: the kinds it may be
    std::uint8_t targets = 0;    // for target: the kinds it may be
    std::shared_ptr<const Type> element; // for list

    static Type of(Kind kind) { return Type{kind, 0, 0, nullptr}; }
    static Type list_of(Type element) { return Type{list, 0, 0, std::make_shared<const Type>(std::move(element))}; }
    static Type artifact_of(std::uint16_t kinds) { return Type{artifact, kinds, 0, nullptr}; }
    static Type target_of(std::uint8_t kinds) { return Type{target, 0, kinds, nullptr}; }

    /// The type a written type (`list<str>`, `artifact<wheel>`) stands for.
    static Type from_ast(const ast::TypeExpr& written);

    const Type& element_type() const;
};

/// How a type is written in messages: `list<str>`, `artifact<deb|dir>`, `apt target`.
std::string to_string(const Type& type);
/// The same with "a" or "an" before it.
std::string with_article(const Type& type);

/// A value of type `actual` may be used where `expected` is wanted (artifact and target kinds narrow).
bool fits(const Type& actual, const Type& expected);

/// True for the types that `${...}` can put into a string.
bool has_text_form(const Type& type);

/// The name of one artifact kind bit (`wheel`), and the bit of a name (0 when unknown).
const char* artifact_kind_name(std::uint16_t kind);
std::uint16_t artifact_kind_of(std::string_view name);
const char* target_kind_name(std::uint8_t kind);

} // namespace chain
