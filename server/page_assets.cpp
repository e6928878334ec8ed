#include "server/page_assets.hpp"

namespace chain::pages {

// One stylesheet and one script for every page: the policy allows each by its hash, so any change here
// changes the policy with it, and no other inline style or script can run.

const std::string_view page_css = R"css(
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa;
  --line: #d1d9e0; --link: #0969da; --success: #1a7f37; --failed: #cf222e; --running: #0969da;
  --queued: #9a6700; --interrupted: #bc4c00; --grey: #6e7781; --manual: #8250df; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23; --line: #3d444d;
    --link: #4493f8; --success: #3fb950; --failed: #f85149; --running: #4493f8; --queued: #d29922;
    --interrupted: #db6d28; --grey: #9198a1; --manual: #ab7df8; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
  color: var(--fg); background: var(--bg); }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { padding: 10px 24px; border-bottom: 1px solid var(--line); background: var(--panel); }
header.top .home { font-weight: 600; color: var(--fg); margin-right: 8px; }
header.top .crumb::before { content: "/"; color: var(--muted); margin: 0 8px; }
main { padding: 16px 24px 48px; max-width: 1280px; }
h1 { font-size: 22px; margin: 8px 0 12px; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 0; }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
td.num, th.num { text-align: right; white-space: nowrap; }
.muted { color: var(--muted); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
@media (min-width: 900px) {
  .facts { grid-template-columns: max-content minmax(0, 1fr) max-content minmax(0, 1fr); }
}
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.status { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
  color: #fff; background: var(--grey); white-space: nowrap; }
.status.st-success { background: var(--success); }
.status.st-failed { background: var(--failed); }
.status.st-running { background: var(--running); }
.status.st-queued { background: var(--queued); }
.status.st-interrupted, .status.st-allowed { background: var(--interrupted); }
.status.st-manual { background: var(--manual); }
.status.st-up-to-date { background: var(--success); }
.error { color: var(--failed); }
.tag { font-size: 11px; border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; color: var(--muted); }
.repository { border: 1px solid var(--line); border-radius: 6px; margin: 16px 0; }
.repository > h2 { margin: 0; padding: 8px 12px; border: 0; background: var(--panel); border-radius: 6px 6px 0 0; }
.repository > p { margin: 8px 12px; }
.actions { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 12px 0; }
form { display: inline-flex; gap: 6px; align-items: center; margin: 0; }
input[type=password] { padding: 3px 6px; border: 1px solid var(--line); border-radius: 4px; background: var(--bg);
  color: var(--fg); }
button { padding: 3px 12px; border: 1px solid var(--line); border-radius: 6px; background: var(--panel);
  color: var(--fg); font: inherit; cursor: pointer; }
button.primary { background: var(--success); border-color: var(--success); color: #fff; }
.graph { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); }
.graph svg { display: block; }
.graph .edge { fill: none; stroke: var(--grey); stroke-width: 1.5; }
.graph .arrowhead { fill: var(--grey); }
.graph .node rect { fill: var(--bg); stroke: var(--grey); stroke-width: 1.5; }
.graph .node .bar { stroke: none; fill: var(--grey); }
.graph .node text { fill: var(--fg); font: 13px system-ui, "DejaVu Sans", sans-serif; }
.graph .node text.detail { fill: var(--muted); font-size: 11px; }
.graph .node.st-success rect { stroke: var(--success); } .graph .node.st-success .bar { fill: var(--success); }
.graph .node.st-failed rect { stroke: var(--failed); } .graph .node.st-failed .bar { fill: var(--failed); }
.graph .node.st-running rect { stroke: var(--running); } .graph .node.st-running .bar { fill: var(--running); }
.graph .node.st-interrupted rect, .graph .node.st-allowed rect { stroke: var(--interrupted); }
.graph .node.st-interrupted .bar, .graph .node.st-allowed .bar { fill: var(--interrupted); }
.graph .node.st-up-to-date rect { stroke: var(--success); } .graph .node.st-up-to-date .bar { fill: var(--success); }
.graph .node.st-manual rect { stroke: var(--manual); } .graph .node.st-manual .bar { fill: var(--manual); }
.graph .node.st-skipped rect, .graph .node.st-not-run rect { stroke-dasharray: 4 3; }
.stage { border: 1px solid var(--line); border-radius: 6px; margin: 12px 0; }
.stage > header { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; padding: 8px 12px;
  background: var(--panel); border-radius: 6px 6px 0 0; }
.stage > p { margin: 6px 12px; }
.step { padding: 8px 12px; border-top: 1px solid var(--line); }
.step .argv { overflow-wrap: anywhere; }
.step .summary { margin-top: 4px; }
.step .error { margin-top: 4px; }
details > summary { cursor: pointer; color: var(--muted); margin-top: 4px; }
pre.log { margin: 6px 0 0; padding: 8px 10px; max-height: 480px; overflow: auto; white-space: pre-wrap;
  overflow-wrap: anywhere; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; }
.hash { font-size: 12px; overflow-wrap: anywhere; }
)css";

const std::string_view page_script = R"js(
"use strict";
(() => {
  // The token for re-run and approve: typed once, kept as a cookie the server reads; SameSite=Strict so
  // no other site's form can send it.
  const tokenForm = document.getElementById("token-form");
  if (tokenForm) {
    const state = document.getElementById("token-state");
    const kept = () => document.cookie.split("; ").some((c) => c.startsWith("chain_token="));
    const show = () => { state.textContent = kept() ? "token kept in this browser" : "no token yet"; };
    tokenForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = tokenForm.elements.token.value;
      const secure = location.protocol === "https:" ? "; Secure" : "";
      document.cookie = "chain_token=" + encodeURIComponent(value) + "; path=/; max-age=2592000; SameSite=Strict" + secure;
      tokenForm.reset();
      show();
    });
    show();
  }

  // A running run: every log grows from the byte the page has, new logs are added as steps start, and
  // once the run has finished the page is loaded again, whole: the record, its graph and every log.
  const main = document.querySelector("main");
  if (!main || main.dataset.live !== "true") return;
  const run = main.dataset.run;
  const terminalCodes = /\x1b\[[0-9;?]*[ -\/]*[@-~]/g;
  const logs = new Map();
  const follow = (pre) => logs.set(pre.dataset.log, {
    pre, offset: Number(pre.dataset.offset) || 0, decoder: new TextDecoder() });
  document.querySelectorAll("pre[data-log]").forEach(follow);
  const encodePath = (name) => name.split("/").map(encodeURIComponent).join("/");
  const addLog = (name) => {
    const list = document.getElementById("live-logs");
    // A browser resolves "." and ".." in a URL before asking: a log so named would be another address.
    if (!list || name.split("/").some((part) => part === "" || part === "." || part === "..")) return;
    const section = document.createElement("section");
    const title = document.createElement("h3");
    title.className = "mono";
    title.textContent = name;
    const pre = document.createElement("pre");
    pre.className = "log";
    pre.dataset.log = name;
    pre.dataset.offset = "0";
    section.append(title, pre);
    list.append(section);
    const none = document.getElementById("no-logs");
    if (none) none.remove();
    follow(pre);
  };
  const pollLog = async (log) => {
    const response = await fetch("/api/runs/" + run + "/log/" + encodePath(log.pre.dataset.log) +
      "?offset=" + log.offset, { cache: "no-store" });
    if (!response.ok) return;
    const bytes = await response.arrayBuffer();
    if (bytes.byteLength === 0) return;
    log.offset += bytes.byteLength;
    log.pre.dataset.offset = String(log.offset);
    const atEnd = log.pre.scrollTop + log.pre.clientHeight >= log.pre.scrollHeight - 4;
    log.pre.append(log.decoder.decode(bytes, { stream: true }).replace(terminalCodes, ""));
    if (atEnd) log.pre.scrollTop = log.pre.scrollHeight;
  };
  const pollRun = async () => {
    const response = await fetch("/api/runs/" + run, { cache: "no-store" });
    if (!response.ok) return true;
    const detail = await response.json();
    if (detail.status !== "queued" && detail.status !== "running") return false;
    const label = document.querySelector("#run-status .status");
    if (label && label.textContent !== detail.status) {
      label.textContent = detail.status;
      label.className = "status st-" + detail.status;
    }
    for (const name of detail.logs || []) {
      if (!logs.has(name)) addLog(name);
    }
    return true;
  };
  const tick = async () => {
    let going = true;
    try {
      going = await pollRun();
      if (going) await Promise.all([...logs.values()].map(pollLog));
    } catch {
      going = true; // the server restarting, or a moment without network: ask again
    }
    if (going) {
      setTimeout(tick, 1000);
    } else {
      location.reload();
    }
  };
  setTimeout(tick, 1000);
})();
)js";

} // namespace chain::pages
