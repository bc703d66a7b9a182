import { describe, expect, it } from "vitest";
import { AFTER_SIGN_IN, safeNext } from "../../src/web/safe-redirect";

describe("safeNext: where the browser goes after sign-in", () => {
  it.each([
    ["/\\evil.test/pwn", "backslash read as a second slash"],
    ["/.//evil.test", "dot segment that normalises to two slashes"],
    ["/\t/evil.test", "tab dropped by the URL parser"],
    ["/\n/evil.test", "newline dropped by the URL parser"],
    ["/\r\n/evil.test", "CRLF"],
    ["/\u0000/evil.test", "NUL"],
    ["/\u007f/evil.test", "DEL"],
    ["//evil.test/pwn", "protocol-relative"],
    ["///evil.test", "three slashes"],
    ["/\\/evil.test", "slash backslash slash"],
    ["https://evil.test/", "absolute URL"],
    ["javascript:alert(1)", "script URL"],
    ["evil.test", "relative without a slash"],
    ["", "empty"],
    [`/${"a".repeat(3000)}`, "absurdly long"],
  ])("refuses %j: %s", (next) => {
    expect(safeNext(next)).toBe(AFTER_SIGN_IN);
  });

  it("refuses the issue's payloads as they arrive decoded from the query string", () => {
    for (const q of ["next=%2F%5Cevil.test%2Fpwn", "next=%2F%09%2Fevil.test"]) {
      expect(safeNext(new URLSearchParams(q).get("next"))).toBe(AFTER_SIGN_IN);
    }
  });

  it("keeps same-site paths with their query and fragment, normalised", () => {
    expect(safeNext("/invite/abc?x=1#top")).toBe("/invite/abc?x=1#top");
    expect(safeNext("/monitors/../settings")).toBe("/settings");
    expect(safeNext("/%2F%2Fevil.test")).toBe("/%2F%2Fevil.test");
  });

  it("falls back when there is no next, or to the given fallback", () => {
    expect(safeNext(undefined)).toBe("/monitors");
    expect(safeNext(null, "/home")).toBe("/home");
  });

  it("every value it returns stays on the site when a browser resolves it", () => {
    const origin = "https://app.example.test";
    for (const next of ["/\\evil.test", "/\t/evil.test", "/ok", "//evil.test", "/%5C%5Cevil.test", "/.//evil.test"]) {
      expect(new URL(safeNext(next), origin).origin).toBe(origin);
    }
  });
});
