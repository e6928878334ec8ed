// Secret values never reach output, whatever their characters and however the output is cut.

#include "interpreter/secrets.hpp"

#include <catch2/catch.hpp>

using chain::mask_secret_values;
using chain::StreamMasker;

TEST_CASE("a secret that contains another is masked whole") {
    CHECK(mask_secret_values("key=hunter2hunter2 end", {"hunter2", "hunter2hunter2"}) == "key=*** end");
}

TEST_CASE("a secret cut across pieces and lines of output is masked") {
    StreamMasker masker({"line one\nline two"});
    std::string out = masker.feed("before line o");
    out += masker.feed("ne\nline t");
    out += masker.feed("wo after\n");
    out += masker.finish();
    CHECK(out == "before *** after\n");
}

TEST_CASE("output without secrets passes through a stream masker unchanged") {
    StreamMasker masker({});
    CHECK(masker.feed("plain\n") == "plain\n");
    CHECK(masker.finish().empty());
}
