#include "value.hpp"

#include "grammar/source.hpp"
#include "grammar/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace chain::stdlib {

Value::Value() = default;
Value::~Value() = default;
Value::Value(const Value&) = default;
Value::Value(Value&&) noexcept = default;
Value& Value::operator=(const Value&) = default;
Value& Value::operator=(Value&&) noexcept = default;

Value Value::none() { return Value{}; }

Value Value::of_text(std::string text) {
    Value value;
    value.kind = Kind::str;
    value.shell = shell_quote(text);
    value.text = std::move(text);
    return value;
}

Value Value::of_int(std::int64_t number) {
    Value value;
    value.kind = Kind::int_;
    value.number = number;
    return value;
}

Value Value::of_bool(bool flag) {
    Value value;
    value.kind = Kind::bool_;
    value.number = flag ? 1 : 0;
    return value;
}

const Value* Value::field(std::string_view name) const {
    for (const auto& [key, value] : fields) {
        if (key == name) {
            return &value;
        }
    }
    return nullptr;
}

std::string duration_text(std::int64_t ms) {
    if (ms % 3'600'000 == 0 && ms > 0) {
        return fmt::format("{}h", ms / 3'600'000);
    }
    if (ms % 60'000 == 0 && ms > 0) {
        return fmt::format("{}m", ms / 60'000);
    }
    if (ms % 1000 == 0) {
        return fmt::format("{}s", ms / 1000);
    }
    return fmt::format("{}ms", ms);
}

std::string text_of(const Value& value) {
    switch (value.kind) {
    case Value::Kind::str:
    case Value::Kind::target:
    case Value::Kind::artifact: return value.text;
    case Value::Kind::int_: return std::to_string(value.number);
    case Value::Kind::bool_:
    case Value::Kind::cond: return value.number ? "true" : "false";
    case Value::Kind::duration: return duration_text(value.number);
    case Value::Kind::percent: return fmt::format("{}%", value.percent);
    case Value::Kind::list: {
        std::string out;
        for (const Value& item : value.items) {
            out += (out.empty() ? "" : " ") + text_of(item);
        }
        return out;
    }
    case Value::Kind::record:
    case Value::Kind::none: return "";
    }
    return "";
}

std::string literal_of(const Value& value) {
    if (value.secret) {
        return "***";
    }
    switch (value.kind) {
    case Value::Kind::str: return string_literal(value.text);
    case Value::Kind::int_:
    case Value::Kind::bool_:
    case Value::Kind::cond:
    case Value::Kind::duration:
    case Value::Kind::percent: return text_of(value);
    case Value::Kind::artifact: return fmt::format("{} at {}", artifact_kind_name(value.artifact_kind), string_literal(value.text));
    case Value::Kind::target: {
        std::string out = fmt::format("{}({}", target_kind_name(value.target_kind), string_literal(value.text));
        for (const auto& [name, option] : value.fields) {
            out += fmt::format(", {}: {}", name, literal_of(option));
        }
        return out + ")";
    }
    case Value::Kind::list: {
        std::string out;
        for (const Value& item : value.items) {
            out += (out.empty() ? "" : ", ") + literal_of(item);
        }
        return "[" + out + "]";
    }
    case Value::Kind::record: {
        std::string out;
        for (const auto& [name, field] : value.fields) {
            out += (out.empty() ? "" : ", ") + string_literal(name) + ": " + literal_of(field);
        }
        return "{" + out + "}";
    }
    case Value::Kind::none: return "none";
    }
    return "";
}

namespace {

/// The bytes a shell word holds unquoted: a table, as plans and their printouts quote every word of every step.
constexpr std::array<bool, 256> shell_safe = [] {
    std::array<bool, 256> safe{};
    for (char c = 'a'; c <= 'z'; ++c) {
        safe[static_cast<unsigned char>(c)] = true;
    }
    for (char c = 'A'; c <= 'Z'; ++c) {
        safe[static_cast<unsigned char>(c)] = true;
    }
    for (char c = '0'; c <= '9'; ++c) {
        safe[static_cast<unsigned char>(c)] = true;
    }
    for (char c : std::string_view("@%+=:,./_-")) {
        safe[static_cast<unsigned char>(c)] = true;
    }
    return safe;
}();

} // namespace

std::string shell_quote(std::string_view text) {
    bool plain = !text.empty() &&
                 std::all_of(text.begin(), text.end(), [](char c) { return shell_safe[static_cast<unsigned char>(c)]; });
    if (plain) {
        return std::string(text);
    }
    std::string quoted;
    quoted.reserve(text.size() + 2);
    quoted += '\'';
    for (char c : text) {
        if (c == '\'') {
            quoted += "'\\''";
        } else {
            quoted += c;
        }
    }
    quoted += '\'';
    return quoted;
}

} // namespace chain::stdlib
