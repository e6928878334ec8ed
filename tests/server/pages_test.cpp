#include "server/page_graph.hpp"
#include "server/page_html.hpp"
#include "server/pages.hpp"
#include "tests/server/pages_samples.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace chain::pages;

namespace {

std::size_t count(const std::string& text, std::string_view part) {
    std::size_t found = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
        ++found;
    }
    return found;
}

/// What no page may hold however hostile its input: a second script, an element a repository named.
void check_nothing_injected(const std::string& page) {
    CHECK(count(page, "<script") == 1); // the page's own
    CHECK(count(page, "</script>") == 1);
    CHECK(page.find("<img") == std::string::npos);
    CHECK(page.find("<b>") == std::string::npos);
    CHECK(page.find("</textarea>") == std::string::npos);
    CHECK(page.find("alert(1)</") == std::string::npos);
}

} // namespace

TEST_CASE("escape leaves no markup, no control character and no invalid UTF-8") {
    CHECK(escape("\"><script>alert('x')</script>&") ==
          "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;");
    CHECK(escape("tab\tline\r\n") == "tab\tline\r\n");
    CHECK(escape(std::string("nul\0bell\a\x7f", 10)) == "nul\xEF\xBF\xBD"
                                                        "bell\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(escape("caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x9A\x80") == "caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x9A\x80");
    // A lone continuation byte, an overlong '<' and a UTF-16 surrogate: each byte replaced.
    CHECK(escape("a\x80z") == "a\xEF\xBF\xBDz");
    CHECK(escape("\xC0\xBC") == "\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(escape("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(escape("cut \xE2\x9C") == "cut \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("names in links are percent-encoded, a '/' in a name too") {
    CHECK(url_segment("feature/x y&z") == "feature%2Fx%20y%26z");
    CHECK(url_segment("v1.0.0_rc-1~") == "v1.0.0_rc-1~");
    CHECK(url_segment("\"><") == "%22%3E%3C");
    CHECK(url_path(".chain/out/build/wheel/acme & utils.whl") ==
          ".chain/out/build/wheel/acme%20%26%20utils.whl");
    CHECK(url_path("test%5Bpython=3.11%5D/1-test.log") == "test%255Bpython%3D3.11%255D/1-test.log");
}

TEST_CASE("a step's log in run.json is named by its path in the run's logs folder") {
    CHECK(log_name(".chain/runs/20261202T094910Z-20412/logs/test%5Bpython=3.11%5D/1-sh.log") ==
          "test%5Bpython=3.11%5D/1-sh.log");
    CHECK(log_name("runs/20261202T094910Z-20412/logs/lint/1-lint.log") == "lint/1-lint.log");
    CHECK(log_name("elsewhere/1-sh.log") == "elsewhere/1-sh.log");
}

TEST_CASE("durations and times read as a person reads them") {
    CHECK(duration_text(0.04) == "0.0 s");
    CHECK(duration_text(42) == "42.0 s");
    CHECK(duration_text(185) == "3 min 05 s");
    CHECK(duration_text(7620) == "2 h 07 min");
    CHECK(duration_text(-1).empty());
    CHECK(time_html("2026-12-02T09:44:30Z") ==
          "<time datetime=\"2026-12-02T09:44:30Z\">2026-12-02 09:44:30 UTC</time>");
    CHECK(time_html("<now>") == "<time datetime=\"&lt;now&gt;\">&lt;now&gt;</time>");
}

TEST_CASE("the repositories page lists each branch's last run, names escaped, links encoded") {
    std::string page = render_repositories(samples::repositories());
    check_nothing_injected(page);
    CHECK(page.starts_with("<!DOCTYPE html>\n"));
    CHECK(page.find("<h2><a href=\"/repositories/acme-utils\">acme-utils</a></h2>") != std::string::npos);
    CHECK(page.find("<h2><a href=\"/repositories/acme%20%26%20web\">acme &amp; web</a></h2>") !=
          std::string::npos);
    CHECK(
        page.find(
            "<tr><td>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;<br><span class=\"muted\">Fix "
            "&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;</span></td><td><a href=\"/runs/7\">#7</a>"
            "</td><td><span class=\"status st-success\">success</span></td><td><code title=\"" +
            samples::commit +
            "\">3f9a1c2e</code></td><td>1.4.0.dev3</td><td>&lt;b&gt;mallory&lt;/b&gt;</td>") !=
        std::string::npos);
    CHECK(page.find(
              "<a href=\"/badge/acme-utils/%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E.svg\">svg</a>") !=
          std::string::npos);
    CHECK(page.find("v1.0.0 <span class=\"tag\">tag</span>") != std::string::npos);
    CHECK(page.find("<span class=\"status st-failed\">failed</span>") != std::string::npos);
    // The token in the fetch URL is the server's own secret.
    CHECK(page.find("s3cr3t") == std::string::npos);
    CHECK(page.find("https://***@git.example.com/acme/utils.git") != std::string::npos);
    CHECK(page.find("No runs yet: push to the repository, or send its webhook.") != std::string::npos);
}

TEST_CASE("the repositories page without repositories says how to add one") {
    CHECK(render_repositories(nlohmann::json::array()).find("<code>[[repository]]</code>") !=
          std::string::npos);
}

TEST_CASE("a repository's page lists its runs only") {
    nlohmann::json other = samples::run_object(9, "running");
    other["repository"] = "acme-web";
    nlohmann::json runs = nlohmann::json::array({samples::run_object(7, "success"), other});
    runs[0]["upstream"] = 3;
    std::string page = render_repository("acme-utils", runs);
    check_nothing_injected(page);
    CHECK(page.find("<a href=\"/runs/7\">#7</a>") != std::string::npos);
    CHECK(page.find("/runs/9") == std::string::npos);
    CHECK(page.find("<td class=\"num\">1 min 12 s</td>") != std::string::npos);
    CHECK(page.find("<td><a href=\"/runs/3\">#3</a></td></tr>") != std::string::npos);
    CHECK(page.find("<title>acme-utils · chain serve</title>") != std::string::npos);
    CHECK(render_repository("acme-web", nlohmann::json::array()).find("No runs yet") != std::string::npos);
}

TEST_CASE("a finished run's page: facts, graph, stages, steps, logs, artifacts, forms") {
    std::string page = render_run(samples::finished_run(), samples::linked_runs(), samples::finished_logs());
    check_nothing_injected(page);
    CHECK(page.find("<main>") != std::string::npos); // not live: the script follows nothing
    CHECK(page.find("<h1>Run #7 <span id=\"run-status\"><span class=\"status "
                    "st-success\">success</span></span></h1>") != std::string::npos);
    CHECK(page.find("<dt>Branch</dt><dd>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</dd>") !=
          std::string::npos);
    CHECK(page.find("<dt>Commit</dt><dd><code>" + samples::commit + "</code></dd>") != std::string::npos);
    CHECK(page.find("<dt>Pushed by</dt><dd>&lt;b&gt;mallory&lt;/b&gt;</dd>") != std::string::npos);
    CHECK(page.find("<dt>Downstream</dt><dd><a href=\"/runs/8\">#8</a> acme-web develop <span class=\"status "
                    "st-queued\">queued</span></dd>") != std::string::npos);
    CHECK(page.find("<dt>Upstream</dt>") == std::string::npos);
    // The graph: one box per instance, linking to its section, coloured by status.
    CHECK(page.find("<svg xmlns=\"http://www.w3.org/2000/svg\"") != std::string::npos);
    CHECK(count(page, "<a class=\"node ") == 5);
    CHECK(
        page.find(
            "<a class=\"node st-allowed\" href=\"#stage-2\"><title>lint: failed (allowed) · 2.1 s</title>") !=
        std::string::npos);
    CHECK(page.find("<a class=\"node st-manual\" href=\"#stage-4\"><title>deploy: manual</title>") !=
          std::string::npos);
    CHECK(count(page, "<path class=\"edge\"") == 4);
    // Steps: argv as shell words, escaped; summaries; the log of each.
    CHECK(page.find(
              "<code>sh -c &#39;echo &#39;\\&#39;&#39;&lt;img src=x onerror=alert(1)&gt;&#39;\\&#39;&#39;; "
              "pytest -q&#39;</code>") != std::string::npos);
    CHECK(page.find("<div class=\"summary\">12 tests, all passed</div>") != std::string::npos);
    CHECK(page.find("<code>take dist/acme &amp; utils.whl into .chain/out/build/wheel</code>") !=
          std::string::npos);
    CHECK(
        page.find("<pre class=\"log\" data-log=\"test%5Bpython=3.12%5D/1-sh.log\" data-offset=\"39\">&lt;img "
                  "src=x onerror=alert(1)&gt;\n12 passed\n</pre>") != std::string::npos);
    CHECK(page.find(
              "<a class=\"muted\" href=\"/api/runs/7/log/test%255Bpython%3D3.12%255D/1-sh.log\">raw</a>") !=
          std::string::npos);
    // The terminal's colours are not shown as codes.
    CHECK(page.find("............ [100%]\n12 passed in 0.41s\n</pre>") != std::string::npos);
    // A failed step's log is open, a passed one's closed.
    CHECK(page.find("<details open><summary>log</summary><a class=\"muted\" "
                    "href=\"/api/runs/7/log/lint/1-lint.log\">") != std::string::npos);
    CHECK(page.find("<details><summary>log</summary><a class=\"muted\" "
                    "href=\"/api/runs/7/log/test%255Bpython%3D3.11") != std::string::npos);
    CHECK(page.find("<span class=\"muted\">2 attempts</span>") != std::string::npos);
    // The artifact: a download link with its SHA-256.
    CHECK(page.find("<tr><td class=\"mono\">build</td><td class=\"mono\">wheel</td><td><a "
                    "href=\"/api/runs/7/artifacts/"
                    ".chain/out/build/wheel/acme%20%26%20utils.whl\" download>acme &amp; "
                    "utils.whl</a></td><td class=\"mono "
                    "hash\">1f148121b804b2d30f7b87856b0840eba32af90607328a5756802771f8dbff57</td></tr>") !=
          std::string::npos);
    // Re-run, approve the manual stage, and where the token goes.
    CHECK(page.find("<form method=\"post\" action=\"/api/runs/7/rerun\">") != std::string::npos);
    CHECK(page.find("<h3 class=\"mono\">deploy</h3><span class=\"status st-manual\">manual</span><form "
                    "method=\"post\" "
                    "action=\"/api/runs/7/approve/deploy\"><button class=\"primary\" "
                    "type=\"submit\">Approve deploy</button></form>") != std::string::npos);
    CHECK(page.find("<form id=\"token-form\">") != std::string::npos);
    // Every log has its step: no list of other logs.
    CHECK(page.find("id=\"live-logs\"") == std::string::npos);
}

TEST_CASE("an approval and the run it approves link to each other") {
    nlohmann::json approved = samples::finished_run();
    approved["approved_by"] = {9};
    nlohmann::json approval = samples::run_object(9, "running");
    approval["approves"] = 7;
    std::string page = render_run(approved, nlohmann::json::array({approval}), samples::finished_logs());
    CHECK(page.find("<dt>Approved by</dt><dd><a href=\"/runs/9\">#9</a> acme-utils "
                    "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; <span class=\"status st-running\">running"
                    "</span></dd>") != std::string::npos);
    CHECK(page.find("<dt>Approves</dt>") == std::string::npos);
    approved["approved_by"] = nlohmann::json::array();
    page = render_run(approval, nlohmann::json::array({approved}));
    CHECK(page.find("<dt>Approves</dt><dd><a href=\"/runs/7\">#7</a> acme-utils "
                    "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; <span class=\"status st-success\">success"
                    "</span></dd>") != std::string::npos);
    CHECK(page.find("<dt>Approved by</dt>") == std::string::npos);
}

TEST_CASE("a running run's page follows its logs from the byte it has") {
    std::map<std::string, LogExcerpt> logs{{"test%5Bpython=3.11%5D/1-test.log", {"collecting ...\n", 0}}};
    std::string page = render_run(samples::running_run(), nlohmann::json::array(), logs);
    check_nothing_injected(page);
    CHECK(page.find("<main data-run=\"7\" data-live=\"true\">") != std::string::npos);
    CHECK(page.find(
              "<div id=\"live-logs\">\n<section><h3 class=\"mono\">test%5Bpython=3.11%5D/1-test.log</h3>") !=
          std::string::npos);
    CHECK(page.find(
              "data-log=\"test%5Bpython=3.11%5D/1-test.log\" data-offset=\"15\">collecting ...\n</pre>") !=
          std::string::npos);
    // Nothing to re-run or approve while it runs.
    CHECK(page.find("/rerun") == std::string::npos);
    CHECK(page.find("<svg") == std::string::npos);

    nlohmann::json queued = samples::run_object(7, "queued");
    queued["record"] = nullptr;
    queued["logs"] = nlohmann::json::array();
    std::string queued_page = render_run(queued);
    CHECK(queued_page.find("Queued: the run starts when a runner is free.") != std::string::npos);
    CHECK(queued_page.find("<p id=\"no-logs\" class=\"muted\">No output yet.</p>") != std::string::npos);
}

TEST_CASE("a long log shows its end, from a line's beginning, and is followed from its whole length") {
    std::string line(99, 'x');
    line += '\n';
    std::string text;
    while (text.size() <= log_excerpt_bytes + 1000) {
        text += line;
    }
    nlohmann::json run = samples::running_run();
    std::string page =
        render_run(run, nlohmann::json::array(), {{"test%5Bpython=3.11%5D/1-test.log", {text, 5000}}});
    std::size_t shown = log_excerpt_bytes / 100 * 100; // whole lines within the limit
    std::size_t skipped = 5000 + text.size() - shown;
    CHECK(page.find(
              fmt::format("<p class=\"muted\">The first {} bytes are not shown: <a href=\"/api/runs/7/log/"
                          "test%255Bpython%3D3.11%255D/1-test.log\">open the whole log</a>.</p>",
                          skipped)) != std::string::npos);
    CHECK(page.find(fmt::format("data-offset=\"{}\">xxx", 5000 + text.size())) != std::string::npos);
}

TEST_CASE("the stage graph stands each stage right of what it needs, ordered to cross less") {
    std::vector<GraphNode> nodes{
        {"a", "success", "", "s0", {}},         {"b", "success", "", "s1", {}},
        {"c", "success", "", "s2", {"b"}},      {"d", "success", "", "s3", {"a"}},
        {"e", "success", "", "s4", {"c", "d"}}, {"f", "failed", "", "s5", {"unknown"}}};
    auto columns = graph_columns(nodes);
    REQUIRE(columns.size() == 3);
    CHECK(columns[0] == std::vector<std::size_t>{0, 1, 5});
    CHECK(columns[1] == std::vector<std::size_t>{3, 2}); // d needs a (row 0), c needs b (row 1)
    CHECK(columns[2] == std::vector<std::size_t>{4});

    // A cycle, which no record has, ends the walk instead of recursing forever.
    std::vector<GraphNode> cycle{{"x", "", "", "s0", {"y"}}, {"y", "", "", "s1", {"x"}}};
    CHECK(graph_columns(cycle).size() == 2);

    std::string svg = stage_graph_svg(
        {{"a very long stage instance name[python=3.11]", "running", "running · 3.0 s", "stage-0", {}}});
    CHECK(svg.find("<text x=\"30\" y=\"36\">a very long stage insta…</text>") != std::string::npos);
    CHECK(svg.find("<title>a very long stage instance name[python=3.11]: running · 3.0 s</title>") !=
          std::string::npos);
    CHECK(svg.find("width=\"232\" height=\"80\"") != std::string::npos);
}

TEST_CASE("a badge is label | status in the look of shields.io, its text escaped") {
    // Verdana's widths: "build" 6.8+6.9+3.0+3.0+6.8 = 26.5 px, "success" 42.2 px; 5 px of padding each side.
    std::string badge = render_badge("build", "success");
    CHECK(badge.starts_with(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"88.7\" height=\"20\" role=\"img\" "
        "aria-label=\"build: success\"><title>build: success</title>"));
    CHECK(badge.find("<rect x=\"36.5\" width=\"52.2\" height=\"20\" fill=\"#4c1\"/>") != std::string::npos);
    CHECK(badge.find("<text x=\"62.6\" y=\"14\" textLength=\"42.2\">success</text>") != std::string::npos);
    CHECK(render_badge("build", "failed").find("fill=\"#e05d44\"") != std::string::npos);
    CHECK(render_badge("build", "no runs").find("fill=\"#9f9f9f\"") != std::string::npos);
    std::string hostile = render_badge(samples::hostile_branch, "<b>");
    CHECK(hostile.find("<script") == std::string::npos);
    CHECK(hostile.find("<b>") == std::string::npos);
    CHECK(hostile.find("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;: &lt;b&gt;") != std::string::npos);
}

TEST_CASE("every page carries the policy that allows its own script and style only") {
    std::string policy = content_security_policy();
    CHECK(policy.starts_with("default-src 'none'; script-src 'sha256-"));
    CHECK(policy.ends_with("; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"));
    std::string page = render_message("Not found", "There is no run 99.");
    std::string in_page = policy.substr(0, policy.find("; frame-ancestors"));
    CHECK(page.find("<meta http-equiv=\"Content-Security-Policy\" content=\"" + escape(in_page) + "\">") !=
          std::string::npos);
    CHECK(page.find("<h1>Not found</h1>\n<p>There is no run 99.</p>") != std::string::npos);
    CHECK(page.find("style=") == std::string::npos); // an inline style attribute would be refused
}

TEST_CASE("values of the wrong shape are shown as absent, never thrown at the server") {
    nlohmann::json odd = nlohmann::json::parse(R"json({
      "id": "7", "status": 3, "ref": null, "upstream": "x", "downstream": [9, null, "8"], "logs": [1, "a/../b"],
      "record": {"stages": [5, {"name": 1, "needs": 7, "steps": [3, {"argv": [1, null]}], "artifacts": {"w": 2}},
                            {"name": "x", "needs": ["x", 4], "attempts": "2", "duration_ms": "long"}]}})json");
    std::string page;
    REQUIRE_NOTHROW(page = render_run(odd, nlohmann::json::object(), {}));
    CHECK(page.find("<code>1 null</code>") != std::string::npos);
    CHECK(page.find("<dd><a href=\"/runs/9\">#9</a></dd>") != std::string::npos);
    REQUIRE_NOTHROW(render_run(nlohmann::json()));
    REQUIRE_NOTHROW(render_run(nlohmann::json::array({1, 2})));
    REQUIRE_NOTHROW(render_repositories(nlohmann::json::parse(R"([1, {"name": 2, "branches": [3, {"last_run": 4}]}])")));
    REQUIRE_NOTHROW(render_repositories(nlohmann::json("x")));
    REQUIRE_NOTHROW(render_repository("", nlohmann::json::parse(R"([1, null, {"repository": ""}])")));
}
