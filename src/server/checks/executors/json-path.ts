/**
 * A small, safe JSON path evaluator: `$.a.b`, `a.b`, `items[0].name`, `["key with space"]`,
 * `$[2]`. No filters or scripts. Returns { found: false } when any step is missing.
 */
export function evaluateJsonPath(doc: unknown, path: string): { found: boolean; value?: unknown } {
  const tokens = tokenize(path);
  if (!tokens) return { found: false };
  let cur: unknown = doc;
  for (const t of tokens) {
    if (cur === null || typeof cur !== "object") return { found: false };
    if (typeof t === "number") {
      if (!Array.isArray(cur) || t >= cur.length) return { found: false };
      cur = cur[t];
    } else {
      if (!Object.prototype.hasOwnProperty.call(cur, t)) return { found: false };
      cur = (cur as Record<string, unknown>)[t];
    }
  }
  return { found: true, value: cur };
}

function tokenize(path: string): (string | number)[] | null {
  let p = path.trim();
  if (p.startsWith("$")) p = p.slice(1);
  const out: (string | number)[] = [];
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c === ".") {
      i++;
      continue;
    }
    if (c === "[") {
      const close = p.indexOf("]", i);
      if (close < 0) return null;
      const inner = p.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) out.push(Number(inner));
      else if (/^(["']).*\1$/.test(inner)) out.push(inner.slice(1, -1));
      else return null;
      i = close + 1;
      continue;
    }
    let j = i;
    while (j < p.length && p[j] !== "." && p[j] !== "[") j++;
    out.push(p.slice(i, j));
    i = j;
  }
  return out;
}

export function describeValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
