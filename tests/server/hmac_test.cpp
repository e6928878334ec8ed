#include "server/hmac.hpp"

#include <catch2/catch.hpp>

using chain::server::equal_in_constant_time;
using chain::server::hmac_sha256_hex;

TEST_CASE("HMAC-SHA256 gives RFC 4231's results", "[server][hmac]") {
    CHECK(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There") ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    // A key longer than a block is hashed first.
    CHECK(
        hmac_sha256_hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First") ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("Signatures and tokens are compared whole", "[server][hmac]") {
    CHECK(equal_in_constant_time("abcdef", "abcdef"));
    CHECK_FALSE(equal_in_constant_time("abcdef", "abcdeg"));
    CHECK_FALSE(equal_in_constant_time("abcdef", "abcde"));
    CHECK_FALSE(equal_in_constant_time("", "a"));
    CHECK_FALSE(equal_in_constant_time("abc", std::string("abc\0", 4)));
}
