#pragma once
// What shows instead of a secret's value, wherever chain writes text: terminal, logs, plans, records.
// Masking works on the raw values, before any quoting or escaping, and on a stream of output that may
// cut a secret anywhere, a line break included. Which values chain takes as secrets at all.

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chain {

inline constexpr std::string_view secret_mask = "***";

/// Masks the values of a set of secrets, sorted once for every text it is given.
class SecretMasker {
  public:
    explicit SecretMasker(std::vector<std::string> secrets);

    /// `text` with every occurrence of every secret value replaced by ***; longer secrets first, so a
    /// secret that contains another is masked whole.
    std::string mask(std::string_view text) const;
    /// Every string value in `document` masked, keys and structure untouched: the document stays valid
    /// JSON whatever characters the secrets hold. Mask before dumping, never after.
    void mask_json(nlohmann::ordered_json& document) const;

    bool empty() const { return longest_first_.empty(); }
    std::size_t longest() const { return longest_first_.empty() ? 0 : longest_first_.front().size(); }
    /// Where a secret starts at `at` in `text`, its length; else 0.
    std::size_t secret_at(std::string_view text, std::size_t at) const;

  private:
    std::vector<std::string> longest_first_;
};

/// One-off forms of SecretMasker's mask() and mask_json().
std::string mask_secret_values(std::string_view text, const std::vector<std::string>& secrets);
void mask_json_values(nlohmann::ordered_json& document, const std::vector<std::string>& secrets);

/// The fewest characters a secret may have: masking a shorter one would hide common words and symbols in
/// every output and tell a reader what the secret is where it is hidden.
inline constexpr std::size_t shortest_secret = 4;

/// A secret that a plan uses but that chain cannot use: `chain run` refuses to start with any; `chain plan`
/// lists a missing one and refuses a too short one.
struct SecretProblem {
    enum class Kind { not_set, empty, too_short };
    Kind kind = Kind::not_set;
    std::string name;           // deploy_key
    std::string variable;       // ACME_DEPLOY_KEY
    std::size_t characters = 0; // of a too short value

    bool missing() const { return kind != Kind::too_short; }
    /// `secret deploy_key: ACME_DEPLOY_KEY is not set`
    std::string message() const;
    /// What to do about it, one sentence.
    std::string advice() const;
};

/// Why secret `name`, read from environment variable `variable`, cannot be used; nothing when it can.
/// `value` is null when the variable is not set.
std::optional<SecretProblem> secret_problem(std::string name, std::string variable, const char* value);

/// Masks output as it arrives in pieces: feed() returns what is certain to hold no beginning of a secret
/// and keeps back at most the longest secret's length less one byte; finish() returns the rest.
class StreamMasker {
  public:
    explicit StreamMasker(std::vector<std::string> secrets);
    std::string feed(std::string_view bytes);
    std::string finish();

  private:
    SecretMasker masker_;
    std::string held_;
};

} // namespace chain
