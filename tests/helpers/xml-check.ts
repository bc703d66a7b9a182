/**
 * A small strict XML 1.0 well-formedness parser for the feed and badge tests (no dependency):
 * one root, balanced tags, quoted attributes without `<`, only the five named entities and
 * numeric references, no characters XML forbids. Throws on any fault; returns the tree with
 * text and attribute values decoded.
 */
export type XmlElement = { name: string; attrs: Record<string, string>; children: (XmlElement | string)[] };

const NAME = /^[A-Za-z_][\w.:-]*/;
// eslint-disable-next-line no-control-regex -- matching the control characters XML forbids is the point
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function decode(s: string, where: string): string {
  if (s.includes("<")) throw new Error(`raw "<" in ${where}`);
  return s.replace(/&([^;]*);?/g, (m, e: string) => {
    if (!m.endsWith(";")) throw new Error(`bare "&" in ${where}`);
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    if (e in named) return named[e]!;
    const num = /^#(\d+)$/.exec(e) ?? /^#x([0-9a-fA-F]+)$/.exec(e);
    if (num) return String.fromCodePoint(parseInt(num[1]!, e.startsWith("#x") ? 16 : 10));
    throw new Error(`unknown entity &${e}; in ${where}`);
  });
}

export function parseXml(xml: string): XmlElement {
  if (FORBIDDEN.test(xml)) throw new Error("a character XML forbids");
  let i = 0;
  const rest = () => xml.slice(i);
  if (rest().startsWith("<?xml")) {
    const end = xml.indexOf("?>");
    if (end < 0) throw new Error("unterminated declaration");
    i = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (text) {
      const decoded = decode(text, "text");
      if (stack.length) stack[stack.length - 1]!.children.push(decoded);
      else if (text.trim()) throw new Error(`text outside the root: ${text.slice(0, 20)}`);
    }
    if (lt < 0) break;
    i = lt;
    if (rest().startsWith("</")) {
      const m = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(rest());
      if (!m) throw new Error(`bad end tag at ${i}`);
      const open = stack.pop();
      if (!open || open.name !== m[1]) throw new Error(`</${m[1]}> closes <${open?.name}>`);
      i += m[0].length;
      continue;
    }
    i += 1;
    const name = NAME.exec(rest())?.[0];
    if (!name) throw new Error(`bad tag at ${i}`);
    i += name.length;
    const el: XmlElement = { name, attrs: {}, children: [] };
    for (;;) {
      const ws = /^\s*/.exec(rest())![0];
      i += ws.length;
      if (rest().startsWith("/>") || rest().startsWith(">")) break;
      if (!ws) throw new Error(`no space before an attribute of <${name}>`);
      const a = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(rest());
      if (!a) throw new Error(`bad attribute in <${name}> at ${i}: ${rest().slice(0, 30)}`);
      if (a[1]! in el.attrs) throw new Error(`repeated attribute ${a[1]}`);
      el.attrs[a[1]!] = decode(a[3] ?? a[4] ?? "", `attribute ${a[1]}`);
      i += a[0].length;
    }
    const selfClosing = rest().startsWith("/>");
    i += selfClosing ? 2 : 1;
    if (stack.length) stack[stack.length - 1]!.children.push(el);
    else if (root) throw new Error("a second root element");
    else root = el;
    if (!selfClosing) stack.push(el);
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1]!.name}> is not closed`);
  if (!root) throw new Error("no root element");
  return root;
}

/** Direct children named `name`. */
export const childrenOf = (el: XmlElement, name: string) => el.children.filter((c): c is XmlElement => typeof c !== "string" && c.name === name);
/** The concatenated text of an element. */
export const textOf = (el: XmlElement): string => el.children.map((c) => (typeof c === "string" ? c : textOf(c))).join("");
