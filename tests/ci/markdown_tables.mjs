// Renders a Markdown file as GitHub does tables (markdown-it's GFM tables,
// with linkify on, as GitHub autolinks bare URLs) and prints what a reader
// sees: every table's cells as plain text, and every link or raw HTML the
// rendering would contain. Usage: node markdown_tables.mjs FILE
import { readFileSync } from "node:fs";
import MarkdownIt from "markdown-it";

const md = new MarkdownIt({ html: true, linkify: true });
const tokens = md.parse(readFileSync(process.argv[2], "utf8"), {});
const tables = [];
const links = [];
const html = [];
let table = null, row = null;

function textOf(inline) {
  let out = "";
  for (const t of inline.children ?? []) {
    if (t.type === "text" || t.type === "code_inline") out += t.content;
    else if (t.type === "softbreak" || t.type === "hardbreak") out += " ";
    else if (t.type === "link_open") links.push(t.attrGet("href"));
    else if (t.type === "html_inline") html.push(t.content);
    else if (t.type === "image") links.push(t.attrGet("src"));
  }
  return out;
}

for (const t of tokens) {
  if (t.type === "table_open") tables.push((table = { rows: [] }));
  else if (t.type === "tr_open") table.rows.push((row = []));
  else if (t.type === "inline" && row && table) row.push(textOf(t));
  else if (t.type === "tr_close") row = null;
  else if (t.type === "table_close") table = null;
  else if (t.type === "inline") textOf(t);
  else if (t.type === "html_block") html.push(t.content);
}
process.stdout.write(JSON.stringify({ tables, links, html }) + "\n");
