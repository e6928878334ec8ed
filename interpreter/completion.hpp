#pragma once
// What may be typed next in chain source, for the REPL's Tab and the language server's completion: the
// same candidates in both.

#include "program.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace chain {

struct Completion {
    enum class Kind { keyword, builtin, fn, value, stage, argument, enum_word, artifact };
    std::string word;
    Kind kind = Kind::keyword;
    std::string detail; // a type or a signature, for editors
};

/// A character a chain name may hold (SPEC.md section 2).
bool identifier_char(char c);

/// Where the word being completed starts in `before` (the text up to the cursor).
std::size_t completion_word_start(std::string_view before);

/// Candidates for the word that ends `before`, sorted, each once: after `stage.` that stage's artifacts;
/// inside a builtin's parentheses its keyword arguments (`runner:`), and after `runner:` the words of
/// that enum; elsewhere builtins, the program's names and stages, and keywords outside calls.
/// `program` may be null (nothing checked yet).
std::vector<Completion> complete_source(const CheckedProgram* program, std::string_view before);

} // namespace chain
