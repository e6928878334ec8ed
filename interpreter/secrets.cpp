#include "secrets.hpp"

#include "grammar/source.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace chain {

SecretMasker::SecretMasker(std::vector<std::string> secrets) : longest_first_(std::move(secrets)) {
    std::erase_if(longest_first_, [](const std::string& secret) { return secret.empty(); });
    std::sort(longest_first_.begin(), longest_first_.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::size_t SecretMasker::secret_at(std::string_view text, std::size_t at) const {
    for (const std::string& secret : longest_first_) {
        if (text.substr(at, secret.size()) == secret) {
            return secret.size();
        }
    }
    return 0;
}

std::string SecretMasker::mask(std::string_view text) const {
    if (empty()) {
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        if (std::size_t length = secret_at(text, at)) {
            out += secret_mask;
            at += length;
        } else {
            out += text[at++];
        }
    }
    return out;
}

void SecretMasker::mask_json(nlohmann::ordered_json& document) const {
    if (empty()) {
        return;
    }
    if (document.is_string()) {
        document = mask(document.get_ref<const std::string&>());
    } else if (document.is_structured()) {
        for (nlohmann::ordered_json& item : document) { // an object's values, never its keys
            mask_json(item);
        }
    }
}

std::string mask_secret_values(std::string_view text, const std::vector<std::string>& secrets) {
    return SecretMasker(secrets).mask(text);
}

void mask_json_values(nlohmann::ordered_json& document, const std::vector<std::string>& secrets) {
    SecretMasker(secrets).mask_json(document);
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
    std::size_t characters = count_code_points(value);
    if (characters == 0) {
        return SecretProblem{SecretProblem::Kind::empty, std::move(name), std::move(variable), 0};
    }
    if (characters < shortest_secret) {
        return SecretProblem{SecretProblem::Kind::too_short, std::move(name), std::move(variable),
                             characters};
    }
    return std::nullopt;
}

StreamMasker::StreamMasker(std::vector<std::string> secrets) : masker_(std::move(secrets)) {}

std::string StreamMasker::feed(std::string_view bytes) {
    if (masker_.empty()) {
        return std::string(bytes);
    }
    held_.append(bytes);
    std::string out;
    std::size_t at = 0;
    // A position is settled once the longest secret starting there would fit in what has arrived.
    while (at < held_.size() && held_.size() - at >= masker_.longest()) {
        if (std::size_t length = masker_.secret_at(held_, at)) {
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
    std::string out = masker_.mask(held_);
    held_.clear();
    return out;
}

} // namespace chain
