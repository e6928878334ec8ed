#include "completion.hpp"

#include "stdlib/builtin.hpp"

#include <algorithm>

namespace chain {

namespace {

std::string_view identifier_before(std::string_view text, std::size_t end) {
    std::size_t start = end;
    while (start > 0 && identifier_char(text[start - 1])) {
        --start;
    }
    return text.substr(start, end - start);
}

std::string_view trimmed_end(std::string_view text) {
    std::size_t end = text.find_last_not_of(" \t\r\n");
    return end == std::string_view::npos ? std::string_view() : text.substr(0, end + 1);
}

std::string signature_of(const stdlib::Builtin& builtin) {
    std::string params;
    for (const stdlib::Param& param : builtin.params) {
        params += (params.empty() ? "" : ", ") + param.name;
    }
    return builtin.name + "(" + params + ")";
}

} // namespace

bool identifier_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

std::size_t completion_word_start(std::string_view before) {
    std::size_t start = before.size();
    while (start > 0 && (identifier_char(before[start - 1]) || before[start - 1] == ':' || before[start - 1] == '/')) {
        --start;
    }
    // `runner:` is a word, but in `runner: py` only `py` is being completed.
    return start;
}

std::vector<Completion> complete_source(const CheckedProgram* program, std::string_view before) {
    std::size_t word_start = completion_word_start(before);
    std::string_view word = before.substr(word_start);
    std::vector<Completion> candidates;
    const stdlib::Registry& library = stdlib::standard_library();

    // `build.` offers the artifacts of stage build.
    if (word_start > 0 && before[word_start - 1] == '.') {
        std::string_view stage_name = identifier_before(before, word_start - 1);
        const StageInfo* stage = program ? program->find_stage(stage_name) : nullptr;
        if (stage) {
            for (const auto& [name, artifact] : stage->artifacts) {
                candidates.push_back({name, Completion::Kind::artifact, to_string(artifact.type)});
            }
        }
    } else {
        // The innermost open parenthesis before the word, if it belongs to a call of a builtin.
        int depth = 0;
        std::size_t open = std::string_view::npos;
        for (std::size_t i = word_start; i-- > 0;) {
            char c = before[i];
            depth += (c == ')' || c == ']' || c == '}') ? 1 : (c == '(' || c == '[' || c == '{') ? -1 : 0;
            if (depth < 0) {
                open = c == '(' ? i : std::string_view::npos;
                break;
            }
        }
        const stdlib::Builtin* builtin = open == std::string_view::npos ? nullptr : library.find(identifier_before(before, open));
        std::string_view ahead = trimmed_end(before.substr(0, word_start));
        bool after_label = builtin && ahead.ends_with(':');
        if (after_label) {
            std::string_view label = identifier_before(ahead, ahead.size() - 1);
            for (const stdlib::Param& param : builtin->params) {
                if (param.name == label) {
                    for (const std::string& enum_word : param.words) {
                        candidates.push_back({enum_word, Completion::Kind::enum_word, param.name});
                    }
                }
            }
        } else if (builtin) {
            for (const stdlib::Param& param : builtin->params) {
                candidates.push_back({param.name + ":", Completion::Kind::argument, builtin->name});
            }
        }
        if (!after_label || candidates.empty()) {
            for (const stdlib::Builtin& each : library.all()) {
                candidates.push_back({each.name, Completion::Kind::builtin, signature_of(each)});
            }
            if (program) {
                for (const GlobalValue& value : program->values) {
                    if (!value.name.starts_with('(')) { // the REPL's typed expression
                        candidates.push_back({value.name, Completion::Kind::value, to_string(value.type)});
                    }
                }
                for (const FnInfo& fn : program->fns) {
                    candidates.push_back({std::string(fn.decl->name.name), Completion::Kind::fn, "fn"});
                }
                for (const StageInfo& stage : program->stages) {
                    candidates.push_back({stage.name, Completion::Kind::stage, "stage"});
                }
            }
            if (open == std::string_view::npos) {
                for (std::string_view keyword : {"let", "param", "secret", "fn", "stage", "import", "needs", "when",
                                                 "matrix", "inputs", "timeout", "retry", "manual", "allow_failure",
                                                 "artifact", "else"}) {
                    candidates.push_back({std::string(keyword), Completion::Kind::keyword, ""});
                }
            }
        }
    }
    std::vector<Completion> matching;
    for (Completion& candidate : candidates) {
        if (candidate.word.starts_with(word)) {
            matching.push_back(std::move(candidate));
        }
    }
    std::sort(matching.begin(), matching.end(), [](const Completion& a, const Completion& b) { return a.word < b.word; });
    matching.erase(std::unique(matching.begin(), matching.end(),
                               [](const Completion& a, const Completion& b) { return a.word == b.word; }),
                   matching.end());
    return matching;
}

} // namespace chain
