// Parses GitHub Actions workflows with GitHub's own parser, @actions/workflow-parser, and fails on any error.
//   node validate_github.mjs PARSER_MODULE_DIR WORKFLOW...
import { readFileSync } from "node:fs";
import { register } from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";

// The parser imports its JSON schema without the import attribute Node 20 asks for: a load hook adds it.
register(
  "data:text/javascript," +
    encodeURIComponent(`export async function load(url, context, nextLoad) {
      return nextLoad(url, url.endsWith(".json") ? { ...context, importAttributes: { type: "json" } } : context);
    }`)
);

const [moduleDir, ...workflows] = process.argv.slice(2);
const parser = await import(pathToFileURL(path.join(moduleDir, "dist", "index.js")).href);
const trace = { info() {}, verbose() {}, error(message) { console.error(message); } };
let failed = false;
for (const file of workflows) {
  const result = parser.parseWorkflow({ name: file, content: readFileSync(file, "utf8") }, trace);
  const errors = result.context.errors.getErrors();
  const template = errors.length === 0 ? await parser.convertWorkflowTemplate(result.context, result.value) : undefined;
  const more = template?.errors ?? [];
  for (const error of [...errors, ...more]) {
    console.error(`${file}: ${error.message ?? error.Message ?? JSON.stringify(error)}`);
    failed = true;
  }
  if (template && more.length === 0) {
    console.log(`${file}: ${template.jobs.length} jobs: ${template.jobs.map((job) => job.id.value ?? job.id).join(" ")}`);
  }
}
process.exit(failed ? 1 : 0);
