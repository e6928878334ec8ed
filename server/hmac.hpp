#pragma once
// Webhook signatures: HMAC-SHA256 (RFC 2104) over the project's own SHA-256, compared in constant time.

#include <string>
#include <string_view>

namespace chain::server {

/// HMAC-SHA256 of `message` under `key`, as 64 lowercase hex digits.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

/// Whether two texts are equal, in a time that depends on their lengths only, never on where they differ.
bool equal_in_constant_time(std::string_view a, std::string_view b);

} // namespace chain::server
