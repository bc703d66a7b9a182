import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateJsonPath, jsonContains, jsonEquals, parseJsonPath } from "../../../src/server/checks/executors/json-path";

const doc = { a: { b: [10, { c: "x" }] }, "key with space": { "dot.key": true }, 'quo"te': 1, arr: ["p", 2, null] };
const at = (path: string) => {
  const steps = parseJsonPath(path);
  return steps ? evaluateJsonPath(doc, steps) : "invalid";
};

describe("JSON path", () => {
  it.each([
    ["$", doc],
    ["$.a.b[0]", 10],
    ["a.b[1].c", "x"],
    ["$.a.b[ 1 ].c", "x"],
    ['$["key with space"]["dot.key"]', true],
    ["$['key with space']['dot.key']", true],
    ['$["quo\\"te"]', 1],
    ["$.arr[2]", null],
    ["arr", ["p", 2, null]],
  ])("%s", (path, value) => {
    expect(at(path)).toEqual({ found: true, value });
  });

  it.each(["$.a.x", "$.a.b[2]", "$.a.b.c", "$.arr[0].length", "$.__proto__", "$.a.constructor"])("%s is not found", (path) => {
    expect(at(path)).toEqual({ found: false });
  });

  it.each(["$..a", "$.a.", "$[", '$["open', "$[-1]", "$[a]", "a]", "$.a[0]x"])("%s is not valid", (path) => {
    expect(parseJsonPath(path)).toBeNull();
  });

  it("compares scalars as strings; contains is an element for arrays and a substring otherwise", () => {
    expect(jsonEquals(42, "42")).toBe(true);
    expect(jsonEquals(false, "false")).toBe(true);
    expect(jsonEquals(null, "null")).toBe(true);
    expect(jsonEquals("42", "42")).toBe(true);
    expect(jsonEquals(42, "42.0")).toBe(false);
    expect(jsonContains(["a", 2], "2")).toBe(true);
    expect(jsonContains(["abc"], "b")).toBe(false);
    expect(jsonContains("abc", "b")).toBe(true);
  });

  it("never throws, whatever the path and the document", () => {
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), (path, value) => {
        const steps = parseJsonPath(path);
        if (steps) evaluateJsonPath(value, steps);
      }),
      { numRuns: 500 },
    );
  });
});
