#pragma once
// Compact JSON written straight into a string, for records of many stages: the bytes nlohmann's
// dump(-1) would write for the same document, without building the document first.

#include "secrets.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace chain {

/// Appends one JSON value to `out`, member by member. String values (never keys) pass through the
/// masker, as mask_json() would mask them in a document. The caller writes a well-formed sequence.
class JsonLine {
  public:
    JsonLine(std::string& out, const SecretMasker& masker) : out_(out), masker_(masker) {}

    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }
    void key(std::string_view name);
    void text(std::string_view value);
    void number(std::int64_t value);
    void boolean(bool value);

    void member(std::string_view name, std::string_view value) {
        key(name);
        text(value);
    }

  private:
    void open(char bracket);
    void close(char bracket);
    void separate();
    void quoted(std::string_view value);
    /// Writes the value, quoted, when it needs no escape and is short (else writes nothing and says so),
    /// after a comma where one is due and before `after` (none when '\0').
    bool append_plain(std::string_view value, char after);

    std::string& out_;
    const SecretMasker& masker_;
    bool comma_ = false; // a value was written at this level: the next one needs a comma before it
};

} // namespace chain
