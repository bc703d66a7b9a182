/**
 * A small, safe Markdown renderer for incident updates and maintenance messages, which are
 * shown to the public. Everything is HTML-escaped first; only the constructs below produce
 * tags, and nothing a writer types can become an attribute except an http(s) link target
 * (escaped, quoted). Supported: paragraphs, line breaks, **bold**, *italic*, `code`, fenced
 * code blocks, "-"/"*" and "1." lists, [text](http(s)://…) links.
 */

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Renders Markdown to HTML that is safe to place in a page as is. */
export function renderMarkdown(src: string): string {
  const lines = src.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let para: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  const flushPara = () => {
    if (para.length) out.push(`<p>${para.map(inline).join("<br>")}</p>`);
    para = [];
  };
  const flushList = () => {
    if (list) out.push(`<${list.ordered ? "ol" : "ul"}>${list.items.map((i) => `<li>${inline(i)}</li>`).join("")}</${list.ordered ? "ol" : "ul"}>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      flushPara();
      flushList();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!); i++) code.push(lines[i]!);
      out.push(`<pre><code>${escapeHtml(code.join("\n"))}</code></pre>`);
      continue;
    }
    if (line.trim() === "") {
      flushPara();
      flushList();
      continue;
    }
    const item = /^\s*(?:([-*+])|(\d{1,9})[.)])\s+(.*)$/.exec(line);
    if (item) {
      flushPara();
      const ordered = item[2] !== undefined;
      if (list && list.ordered !== ordered) flushList();
      list ??= { ordered, items: [] };
      list.items.push(item[3]!);
      continue;
    }
    if (list && /^\s{2,}\S/.test(line)) {
      list.items[list.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    flushList();
    para.push(line.trim());
  }
  flushPara();
  flushList();
  return out.join("\n");
}

const SAFE_URL = /^https?:\/\/[^\s<>"'`]+$/i;

/** Inline constructs of one line: code spans first (their content is literal), then links, bold, italic. */
function inline(text: string): string {
  const parts = text.split(/(`[^`]+`)/);
  return parts.map((p) => (p.length > 2 && p.startsWith("`") && p.endsWith("`") ? `<code>${escapeHtml(p.slice(1, -1))}</code>` : emphasis(p))).join("");
}

function emphasis(raw: string): string {
  // Links are cut out before escaping so their URL is checked as written, then escaped once.
  const pieces: string[] = [];
  let rest = raw;
  const link = /\[([^\]\n]+)\]\(([^()\s]+)\)/;
  for (let m = link.exec(rest); m; m = link.exec(rest)) {
    pieces.push(style(escapeHtml(rest.slice(0, m.index))));
    const url = m[2]!;
    pieces.push(SAFE_URL.test(url) ? `<a href="${escapeHtml(url)}" rel="nofollow noopener">${style(escapeHtml(m[1]!))}</a>` : style(escapeHtml(m[0])));
    rest = rest.slice(m.index + m[0].length);
  }
  pieces.push(style(escapeHtml(rest)));
  return pieces.join("");
}

/** On already-escaped text: the markers are ASCII and survive escaping unchanged. */
function style(s: string): string {
  return s.replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, "<strong>$1</strong>").replace(/(^|[^*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)/g, "$1<em>$2</em>");
}
