#pragma once
// What shows instead of a secret's value, wherever chain writes text: terminal, logs, plans, records.
// Masking works on the raw values, before any quoting or escaping, and on a stream of output that may
// cut a secret anywhere, a line break included.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace chain {

inline constexpr std::string_view secret_mask = "***";

/// `text` with every occurrence of every secret value replaced by ***; longer secrets first, so a secret
/// that contains another is masked whole.
std::string mask_secret_values(std::string_view text, const std::vector<std::string>& secrets);

/// Masks output as it arrives in pieces: feed() returns what is certain to hold no beginning of a secret
/// and keeps back at most the longest secret's length less one byte; finish() returns the rest.
class StreamMasker {
  public:
    explicit StreamMasker(std::vector<std::string> secrets);
    std::string feed(std::string_view bytes);
    std::string finish();

  private:
    std::vector<std::string> secrets_;
    std::size_t longest_ = 0;
    std::string held_;
};

} // namespace chain
