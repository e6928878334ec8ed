#include "rehearsal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <system_error>

namespace chain {

namespace {

bool is_distribution(const std::string& name) {
    // A name that would break the line it is shown on is none the build made.
    if (std::any_of(name.begin(), name.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
        return false;
    }
    auto ends_with = [&](std::string_view suffix) {
        return name.size() > suffix.size() &&
               name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return ends_with(".whl") || ends_with(".tar.gz");
}

/// The wheels and sdists a copy into a PEP 503 index would take from the artifact folder, by name; empty
/// when the folder cannot be read (the generic line then says what the step would do).
std::vector<std::string> distributions(const std::filesystem::path& folder) {
    std::vector<std::string> names;
    std::error_code error;
    for (std::filesystem::directory_iterator it(folder, error), end; !error && it != end;
         it.increment(error)) {
        std::string name = it->path().filename().string();
        if (is_distribution(name)) {
            names.push_back(name);
        }
    }
    std::sort(names.begin(), names.end());
    return error ? std::vector<std::string>{} : names;
}

} // namespace

std::vector<std::string> rehearsal_lines(const stdlib::Step& step, const std::filesystem::path& root,
                                         const SecretMasker& masker) {
    // Masked before quoting: quoting changes how a secret's characters read.
    auto word = [&](const std::string& text) { return stdlib::shell_quote(masker.mask(text)); };
    const std::vector<std::string>& args = step.action_args;
    if (step.argv.empty() && args.size() >= 3 && args[0] == "pep503") {
        std::vector<std::string> lines;
        for (const std::string& name : distributions(root / args[1])) {
            lines.push_back(masker.mask(fmt::format("would publish {}/{} to {}", args[1], name, args[2])));
        }
        if (!lines.empty()) {
            return lines;
        }
    }
    std::string line = fmt::format("would {}: ", step.builtin);
    for (const auto& [name, value] : step.env) {
        line += name + "=" + word(value) + " ";
    }
    if (step.argv.empty()) {
        line += masker.mask(step.action);
    }
    for (std::size_t i = 0; i < step.argv.size(); ++i) {
        line += (i == 0 ? "" : " ") + word(step.argv[i]);
    }
    if (!step.workdir.empty()) {
        line += "   [in " + masker.mask(step.workdir) + "]";
    }
    return {line};
}

} // namespace chain
