import { describe, expect, it } from "vitest";
import { isSameOrigin } from "../../src/web/request";

const h = (o: Record<string, string>) => new Headers(o);

describe("isSameOrigin (cookie-authenticated state changes)", () => {
  it("accepts our own origin", () => {
    expect(isSameOrigin(h({ origin: "http://localhost:3000", host: "localhost:3000" }))).toBe(true);
  });
  it("accepts APP_URL's origin even when Host differs", () => {
    expect(isSameOrigin(h({ origin: "http://localhost:3000", host: "internal:8080" }))).toBe(true);
  });
  it("refuses a missing Origin", () => {
    expect(isSameOrigin(h({ host: "localhost:3000" }))).toBe(false);
  });
  it("refuses a foreign or opaque Origin", () => {
    expect(isSameOrigin(h({ origin: "https://evil.example", host: "localhost:3000" }))).toBe(false);
    expect(isSameOrigin(h({ origin: "null", host: "localhost:3000" }))).toBe(false);
    expect(isSameOrigin(h({ origin: "not a url", host: "localhost:3000" }))).toBe(false);
  });
  it("refuses a look-alike origin on another port or scheme", () => {
    expect(isSameOrigin(h({ origin: "http://localhost:3001", host: "localhost:3000" }))).toBe(false);
    expect(isSameOrigin(h({ origin: "https://localhost:3000.evil.example", host: "localhost:3000" }))).toBe(false);
  });
  it("ignores X-Forwarded-Host unless TRUST_PROXY is on", () => {
    expect(isSameOrigin(h({ origin: "https://evil.example", host: "localhost:3000", "x-forwarded-host": "evil.example" }))).toBe(false);
  });
});
