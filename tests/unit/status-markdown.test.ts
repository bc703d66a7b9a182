import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/server/status/markdown";

describe("status Markdown", () => {
  it("renders paragraphs, line breaks, emphasis, code, lists and links", () => {
    expect(renderMarkdown("Hello **bold** and *it*\nnext line\n\nSecond `x < y`")).toBe("<p>Hello <strong>bold</strong> and <em>it</em><br>next line</p>\n<p>Second <code>x &lt; y</code></p>");
    expect(renderMarkdown("- one\n- two **b**\n\n1. first\n2. second")).toBe("<ul><li>one</li><li>two <strong>b</strong></li></ul>\n<ol><li>first</li><li>second</li></ol>");
    expect(renderMarkdown("```\n<b>raw</b> **no**\n```")).toBe("<pre><code>&lt;b&gt;raw&lt;/b&gt; **no**</code></pre>");
    expect(renderMarkdown("See [the docs](https://example.com/a?b=1&c=2).")).toBe('<p>See <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener">the docs</a>.</p>');
    expect(renderMarkdown("a * b * c and 2*3*4")).not.toContain("<em>");
  });

  const attacks = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '[x](https://a.example/"onmouseover="alert(1))',
    "[x](https://a.example/'onmouseover='alert(1))",
    "[**<svg onload=alert(1)>**](https://ok.example)",
    "`<iframe src=javascript:alert(1)>`",
    "```\n</code></pre><script>alert(1)</script>\n```",
    '<a href="javascript:alert(1)">x</a>',
    "**<b onclick=alert(1)>x</b>**",
    "- <style>body{display:none}</style>",
    "&lt;script&gt; &#x3C;script&#x3E;",
    "[a](https://x.example)[b](vbscript:msgbox)",
  ];

  it.each(attacks)("never emits markup an attacker controls: %s", (input) => {
    const html = renderMarkdown(input);
    // Only the tags the renderer makes, and only its own attributes.
    const tags = [...html.matchAll(/<(\/?)([a-z0-9]+)([^>]*)>/gi)];
    for (const [, closing, name, attrs] of tags) {
      expect(["p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "a"]).toContain(name!.toLowerCase());
      if (name === "a" && !closing) expect(attrs).toMatch(/^ href="https?:\/\/[^"<>]*" rel="nofollow noopener"$/);
      else expect(attrs).toBe("");
    }
    expect(html).not.toMatch(/<(script|img|svg|iframe|style)/i);
    expect(html).not.toMatch(/href="(?!https?:)/i);
  });

  it("escapes entities once, so an escaped payload stays text", () => {
    expect(renderMarkdown("&lt;script&gt;")).toBe("<p>&amp;lt;script&amp;gt;</p>");
    expect(renderMarkdown('He said "hi" & left')).toBe("<p>He said &quot;hi&quot; &amp; left</p>");
  });
});
