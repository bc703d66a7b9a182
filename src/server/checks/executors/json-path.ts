/**
 * A small, safe JSON path evaluator: `$.a.b`, `a.b`, `items[0].name`, `["key with space"]`,
 * `$[2]`, `$` (the whole document). No filters, wildcards or scripts: a path is a list of
 * keys and indexes, looked up on own properties only.
 */
export type PathStep = string | number;

/** The steps of a path, or null when it is not in the supported syntax. */
export function parseJsonPath(path: string): PathStep[] | null {
  const p = path.trim();
  const out: PathStep[] = [];
  let i = p.startsWith("$") ? 1 : 0;
  let first = true;
  while (i < p.length) {
    if (p[i] === "[") {
      let j = i + 1;
      while (p[j] === " ") j++;
      const quote = p[j];
      if (quote === '"' || quote === "'") {
        let key = "";
        for (j++; j < p.length && p[j] !== quote; j++) {
          if (p[j] === "\\" && j + 1 < p.length) j++;
          key += p[j];
        }
        if (j >= p.length) return null;
        j++;
        while (p[j] === " ") j++;
        if (p[j] !== "]") return null;
        out.push(key);
        i = j + 1;
      } else {
        const m = /^\s*(\d+)\s*\]/.exec(p.slice(i + 1));
        if (!m) return null;
        out.push(Number(m[1]));
        i += 1 + m[0].length;
      }
    } else {
      if (p[i] === ".") i++;
      else if (!first) return null;
      const m = /^[^.[\]]+/.exec(p.slice(i));
      if (!m) return null; // "a..b", a trailing ".", a stray "]"
      out.push(m[0].trim());
      i += m[0].length;
    }
    first = false;
  }
  return out;
}

export function evaluateJsonPath(doc: unknown, steps: PathStep[]): { found: true; value: unknown } | { found: false } {
  let cur: unknown = doc;
  for (const s of steps) {
    if (cur === null || typeof cur !== "object") return { found: false };
    if (typeof s === "number") {
      if (!Array.isArray(cur) || s >= cur.length) return { found: false };
      cur = cur[s];
    } else {
      if (!Object.prototype.hasOwnProperty.call(cur, s)) return { found: false };
      cur = (cur as Record<string, unknown>)[s];
    }
  }
  return { found: true, value: cur };
}

/** Scalars compare as their string form: 42 equals "42", true equals "true", null equals "null". */
function asText(v: unknown): string {
  return typeof v === "string" ? v : (JSON.stringify(v) ?? String(v));
}

export function jsonEquals(v: unknown, expected: string): boolean {
  return asText(v) === expected;
}

/** Arrays: one element equals the expected value. Anything else: substring of its string form. */
export function jsonContains(v: unknown, expected: string): boolean {
  if (Array.isArray(v)) return v.some((x) => asText(x) === expected);
  return asText(v).includes(expected);
}

export function describeValue(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
