#include "grammar/ast_dump.hpp"
#include "grammar/format.hpp"
#include "grammar/parser.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace chain;

namespace {

std::string formatted(const std::string& text) {
    auto source = std::make_shared<const SourceFile>("test.chain", text);
    ParseResult parsed = parse(source);
    REQUIRE(parsed.diagnostics.empty());
    return format_file(parsed.file, *source);
}

} // namespace

TEST_CASE("fmt keeps the meaning and is idempotent on every example and every test program that parses") {
    std::size_t files = 0;
    for (const char* folder : {"examples", "tests/golden/check", "tests/golden/plan", "fuzz/seeds"}) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(CHAIN_SOURCE_DIR) + "/" + folder)) {
            if (entry.path().extension() != ".chain" && std::string(folder) != "fuzz/seeds") {
                continue;
            }
            LoadedSource loaded = load_source(entry.path().string());
            REQUIRE(loaded.source);
            ParseResult parsed = parse(loaded.source);
            if (!parsed.diagnostics.empty()) {
                continue; // fmt refuses files with syntax errors
            }
            INFO(entry.path().string());
            std::string once = format_file(parsed.file, *loaded.source);
            auto again_source = std::make_shared<const SourceFile>("again.chain", once);
            ParseResult again = parse(again_source);
            REQUIRE(again.diagnostics.empty());
            CHECK(ast::dump(again.file) == ast::dump(parsed.file));
            CHECK(again.file.comments.size() == parsed.file.comments.size());
            CHECK(format_file(again.file, *again_source) == once);
            ++files;
        }
    }
    CHECK(files > 40);
}

TEST_CASE("fmt lays out declarations, clauses, blocks and expressions one way") {
    CHECK(formatted("pipeline   x kind   library\nlet   a=[1,2,]   # one\n\n\n\nparam p :list<str>=[\"a\"]\n") ==
          "pipeline x kind library\nlet a = [1, 2]  # one\n\nparam p: list<str> = [\"a\"]\n");
    CHECK(formatted("stage s needs a,b when develop|(release/* and not x) retry 2 {sh([\"true\"])\n"
                    "when x {sh(\"a\")} else {  }}") ==
          "stage s needs a, b when develop | release/* and not x retry 2 {\n"
          "  sh([\"true\"])\n"
          "  when x {\n    sh(\"a\")\n  } else {\n  }\n}\n");
    CHECK(formatted("let a = (x | y) and z\nlet b = x + (y + z)\nlet c = not (x == y)\n") ==
          "let a = (x | y) and z\nlet b = x + (y + z)\nlet c = not x == y\n");
    CHECK(formatted("let s = \"cost: $5 ${n} \\${literal} $\"\nlet r = {a:1, \"b c\":2}\nlet e = {}\n") ==
          "let s = \"cost: $5 ${n} \\${literal} $\"\nlet r = { a: 1, \"b c\": 2 }\nlet e = {}\n");
}

TEST_CASE("fmt keeps comments: above what they precede, or at the end of its line") {
    CHECK(formatted("# head\npipeline x\n\n# about a\nlet a = 1 # trailing\nstage s {\n  # inside\n  sh(\"a\")\n"
                    "  # last\n}\n# end\n") ==
          "# head\npipeline x\n\n# about a\nlet a = 1  # trailing\n\nstage s {\n  # inside\n  sh(\"a\")\n"
          "  # last\n}\n# end\n");
}

TEST_CASE("fmt puts a long stage header a clause a line, and a long call an argument a line") {
    std::string long_when = "develop | feature/* | release/* | hotfix/* | support/* | master | tag \"v*\"";
    CHECK(formatted("stage s matrix p in [\"3.11\", \"3.12\"] when " + long_when + " inputs \"src/**\" { sh(\"a\") }") ==
          "stage s\n  matrix p in [\"3.11\", \"3.12\"]\n  when " + long_when + "\n  inputs \"src/**\"\n{\n  sh(\"a\")\n}\n");
    CHECK(formatted("stage s { deploy(debian.deb, to: local(\"/srv/acme/production\"), strategy: blue_green, "
                    "health: \"bin/check --all\") }") ==
          "stage s {\n  deploy(\n    debian.deb,\n    to: local(\"/srv/acme/production\"),\n    strategy: blue_green,\n"
          "    health: \"bin/check --all\",\n  )\n}\n");
}

TEST_CASE("fmt prints the env and allow_failure clauses one way") {
    CHECK(formatted("stage s   allow_failure   env {A:\"1\",HOME_COPY:env(\"HOME\"),}   needs b {sh([\"true\"])}\n") ==
          "stage s allow_failure env { A: \"1\", HOME_COPY: env(\"HOME\") } needs b {\n  sh([\"true\"])\n}\n");
}
