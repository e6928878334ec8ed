#include "secrets.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace chain {

namespace {

std::vector<std::string> longest_first(std::vector<std::string> secrets) {
    std::erase_if(secrets, [](const std::string& secret) { return secret.empty(); });
    std::sort(secrets.begin(), secrets.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    return secrets;
}

/// Where a secret starts at `at`, its length; else 0.
std::size_t secret_at(std::string_view text, std::size_t at, const std::vector<std::string>& sorted) {
    for (const std::string& secret : sorted) {
        if (text.substr(at, secret.size()) == secret) {
            return secret.size();
        }
    }
    return 0;
}

} // namespace

std::string mask_secret_values(std::string_view text, const std::vector<std::string>& secrets) {
    std::vector<std::string> sorted = longest_first(secrets);
    if (sorted.empty()) {
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        if (std::size_t length = secret_at(text, at, sorted)) {
            out += secret_mask;
            at += length;
        } else {
            out += text[at++];
        }
    }
    return out;
}

void mask_json_values(nlohmann::ordered_json& document, const std::vector<std::string>& secrets) {
    if (secrets.empty()) {
        return;
    }
    if (document.is_string()) {
        document = mask_secret_values(document.get_ref<const std::string&>(), secrets);
    } else if (document.is_structured()) {
        for (nlohmann::ordered_json& item : document) { // an object's values, never its keys
            mask_json_values(item, secrets);
        }
    }
}

std::string SecretProblem::message() const {
    switch (kind) {
    case Kind::not_set: return fmt::format("secret {}: {} is not set", name, variable);
    case Kind::empty: return fmt::format("secret {}: {} is empty", name, variable);
    case Kind::too_short:
        return fmt::format("secret {}: {} has {} character{}; "
                           "chain masks only secrets of {} characters or more",
                           name, variable, characters, characters == 1 ? "" : "s", shortest_secret);
    }
    return "";
}

std::string SecretProblem::advice() const {
    if (kind == Kind::too_short) {
        return fmt::format("set {} to a value of {} characters or more", variable, shortest_secret);
    }
    return fmt::format("set {} in the environment chain runs in (a CI secret or variable)", variable);
}

std::optional<SecretProblem> secret_problem(std::string name, std::string variable, const char* value) {
    if (!value) {
        return SecretProblem{SecretProblem::Kind::not_set, std::move(name), std::move(variable), 0};
    }
    // Characters, not bytes: a UTF-8 continuation byte does not start one.
    std::size_t characters = 0;
    for (const char* at = value; *at; ++at) {
        characters += (static_cast<unsigned char>(*at) & 0xC0) != 0x80 ? 1 : 0;
    }
    if (characters == 0) {
        return SecretProblem{SecretProblem::Kind::empty, std::move(name), std::move(variable), 0};
    }
    if (characters < shortest_secret) {
        return SecretProblem{SecretProblem::Kind::too_short, std::move(name), std::move(variable),
                             characters};
    }
    return std::nullopt;
}

StreamMasker::StreamMasker(std::vector<std::string> secrets) : secrets_(longest_first(std::move(secrets))) {
    for (const std::string& secret : secrets_) {
        longest_ = std::max(longest_, secret.size());
    }
}

std::string StreamMasker::feed(std::string_view bytes) {
    if (secrets_.empty()) {
        return std::string(bytes);
    }
    held_.append(bytes);
    std::string out;
    std::size_t at = 0;
    // A position is settled once the longest secret starting there would fit in what has arrived.
    while (at < held_.size() && held_.size() - at >= longest_) {
        if (std::size_t length = secret_at(held_, at, secrets_)) {
            out += secret_mask;
            at += length;
        } else {
            out += held_[at++];
        }
    }
    held_.erase(0, at);
    return out;
}

std::string StreamMasker::finish() {
    std::string out = mask_secret_values(held_, secrets_);
    held_.clear();
    return out;
}

} // namespace chain
