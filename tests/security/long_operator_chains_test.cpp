// An expression of tens of thousands of terms joined by one operator (`+`, `and`, `|`) is one flat node:
// parsing, checking, formatting, dumping, planning, the REPL and chain lsp walk it without recursing
// once per term, so such a file cannot exhaust the stack.

#include "grammar/ast_dump.hpp"
#include "grammar/format.hpp"
#include "grammar/parser.hpp"
#include "interpreter/checker.hpp"
#include "interpreter/lsp.hpp"
#include "interpreter/plan.hpp"
#include "interpreter/repl.hpp"
#include "stdlib/builtin.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

using namespace chain;

namespace {

constexpr int terms = 100'000;

std::string repeated(const std::string& term, const std::string& op, int count) {
    std::string out = term;
    for (int i = 1; i < count; ++i) {
        out += op + term;
    }
    return out;
}

std::string long_pipeline() {
    return "pipeline \"chains\"\n"
           "let greeting = " + repeated("\"a\"", " + ", terms) + "\n" +
           "let always = " + repeated("true", " and ", terms) + "\n\n" +
           "stage build\n"
           "  when always and " + repeated("develop", " | ", terms) + "\n{\n" +
           "  sh([\"echo\", greeting])\n"
           "}\n";
}

CheckResult checked(const std::string& text) {
    auto source = std::make_shared<const SourceFile>("chains.chain", text);
    return check(load_program(source, "chains.chain"), stdlib::standard_library(), CheckOptions{});
}

} // namespace

TEST_CASE("a long chain of one operator is one node with every operand") {
    auto source = std::make_shared<const SourceFile>("chains.chain", long_pipeline());
    ParseResult parsed = parse(source);
    REQUIRE(parsed.diagnostics.empty());
    const auto& greeting = std::get<ast::Let>(parsed.file.decls.at(0).node);
    const auto& sum = std::get<ast::Infix>(greeting.value.node);
    CHECK(sum.operands.size() == terms);
    CHECK(sum.ops.size() == terms - 1);
    bool formatted_unchanged = format_file(parsed.file, *source) == source->text();
    CHECK(formatted_unchanged);
    CHECK(ast::dump(parsed.file).starts_with("(pipeline \"chains\")\n(let greeting (+ (+ (+ "));
}

TEST_CASE("parentheses inside a chain keep their grouping in the tree and in fmt") {
    auto source = std::make_shared<const SourceFile>("p.chain", "let x = (\"a\" + \"b\") + \"c\" + (\"d\" + \"e\")\n");
    ParseResult parsed = parse(source);
    REQUIRE(parsed.diagnostics.empty());
    CHECK(ast::dump(parsed.file) == "(let x (+ (+ (+ \"a\" \"b\") \"c\") (+ \"d\" \"e\")))\n");
    CHECK(format_file(parsed.file, *source) == "let x = \"a\" + \"b\" + \"c\" + (\"d\" + \"e\")\n");
}

TEST_CASE("a long chain is checked and planned and evaluated like a short one") {
    CheckResult result = checked(long_pipeline());
    CHECK(result.diagnostics.empty());
    PlanOptions options;
    options.ref = refs::Ref{false, "develop"};
    Plan plan = make_plan(result.program, options);
    REQUIRE(plan.stages.size() == 1);
    CHECK(plan.stages[0].runs);
    const GlobalValue* greeting = result.program.find_value("greeting");
    REQUIRE(greeting);
    bool every_term = evaluate_value(result.program, options, *greeting).text == std::string(terms, 'a');
    CHECK(every_term);
    const GlobalValue* always = result.program.find_value("always");
    CHECK(evaluate_value(result.program, options, *always).number == 1);
}

TEST_CASE("a type error in a long chain is reported once where it is") {
    std::string text = "let x = " + repeated("\"a\"", " + ", 1000) + " + 1 + " + repeated("\"a\"", " + ", 1000) + "\n";
    CheckResult result = checked(text);
    std::erase_if(result.diagnostics, [](const Diagnostic& d) { return d.severity != Severity::error; });
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].code == "E0307");
    CHECK(result.diagnostics[0].message == "'+' joins two str or two lists of one type, found str and int");
}

TEST_CASE("a condition of thousands of distinct ref patterns is checked without judging each combination") {
    std::string condition = "feature/a0";
    for (int i = 1; i < 20'000; ++i) {
        condition += " | feature/a" + std::to_string(i);
    }
    CheckResult result = checked("stage build when " + condition + " {\n  sh([\"true\"])\n}\n");
    CHECK(result.diagnostics.empty());
}

TEST_CASE("the REPL evaluates a typed long chain") {
    ReplSettings settings;
    settings.ref = refs::Ref{false, "develop"};
    ReplSession session(settings);
    ReplReply reply = session.eval(repeated("\"a\"", " + ", terms));
    CHECK_FALSE(reply.error);
    bool every_term = reply.output == "\"" + std::string(terms, 'a') + "\" : str\n";
    CHECK(every_term);
}

TEST_CASE("chain lsp opens and hovers over and formats a document with long chains") {
    LanguageServer server;
    std::string uri = "file:///nowhere/chains.chain";
    nlohmann::json open = {{"jsonrpc", "2.0"},
                           {"method", "textDocument/didOpen"},
                           {"params", {{"textDocument", {{"uri", uri}, {"languageId", "chain"}, {"version", 1},
                                                         {"text", long_pipeline()}}}}}};
    std::vector<std::string> published = server.handle(open.dump());
    REQUIRE(published.size() == 1);
    CHECK(nlohmann::json::parse(published[0])["params"]["diagnostics"] == nlohmann::json::array());
    // `always` in the condition, on the sixth line.
    nlohmann::json hover = {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "textDocument/hover"},
                            {"params", {{"textDocument", {{"uri", uri}}}, {"position", {{"line", 5}, {"character", 9}}}}}};
    nlohmann::json hovered = nlohmann::json::parse(server.handle(hover.dump()).at(0));
    CHECK(hovered["result"]["contents"]["value"] == "```chain\nlet always: bool\n```");
    nlohmann::json format = {{"jsonrpc", "2.0"}, {"id", 2}, {"method", "textDocument/formatting"},
                             {"params", {{"textDocument", {{"uri", uri}}}, {"options", nlohmann::json::object()}}}};
    CHECK(nlohmann::json::parse(server.handle(format.dump()).at(0))["result"] == nlohmann::json::array());
}
