import { describe, expect, it } from "vitest";
import { flushAccessLog } from "../../src/server/api/access-log";
import { createApiKey } from "../../src/server/services/api-keys/create";
import { listApiKeys } from "../../src/server/services/api-keys/list";
import { revokeApiKey } from "../../src/server/services/api-keys/revoke";
import { changeRole } from "../../src/server/services/organizations/change-role";
import { removeMember } from "../../src/server/services/organizations/remove-member";
import { api, apiTenant } from "../helpers/api";

/** Settings → API keys: what ADMINs see of each key (usage, standing), and who may see it. */
describe("listing API keys", () => {
  it("shows each key's recent requests and 24 h counts, never the key or its hash", async () => {
    const t = await apiTenant("Usage");
    const a = await t.key(["monitors:read"]);
    const b = await t.key(["events:read"]);
    for (let i = 0; i < 12; i++) await api("GET", "/api/v1/monitors", { key: a.key });
    await api("GET", "/api/v1/monitors", { key: b.key }); // 403: no scope
    await api("GET", "/api/v1/events", { key: b.key });
    await flushAccessLog();
    const keys = await listApiKeys({ ctx: t.ctx.ADMIN });
    const la = keys.find((k) => k.id === a.id)!;
    const lb = keys.find((k) => k.id === b.id)!;
    expect(la.usage).toMatchObject({ requests24h: 12, errors24h: 0 });
    expect(la.usage.recent).toHaveLength(10);
    expect(la.usage.recent[0]).toMatchObject({ method: "GET", route: "/api/v1/monitors", status: 200, ip: "198.51.100.9" });
    expect(lb.usage).toMatchObject({ requests24h: 2, errors24h: 1 });
    expect(lb.usage.recent.map((r) => r.status)).toEqual([200, 403]);
    const text = JSON.stringify(keys);
    expect(text).not.toContain(a.key);
    expect(text).not.toContain(a.key.slice(12));
    expect(text).not.toMatch(/keyHash|[0-9a-f]{64}/);
  });

  it("shows a key's standing: scopes its creator's current role no longer allows, and keys whose creator left", async () => {
    const t = await apiTenant("Standing");
    const k = await createApiKey({ ctx: t.ctx.ADMIN, input: { name: "ci", scopes: ["monitors:read", "monitors:write", "account:export"] } });
    const otherAdmin = { ...t.ctx.EDITOR, org: { ...t.ctx.EDITOR.org, role: "ADMIN" as const } };
    await changeRole({ ctx: t.ctx.ADMIN, input: { userId: t.editor.id, role: "ADMIN" } });
    let [row] = (await listApiKeys({ ctx: otherAdmin })).filter((x) => x.id === k.id);
    expect(row).toMatchObject({ creatorRole: "ADMIN", effectiveScopes: ["account:export", "monitors:read", "monitors:write"] });
    await changeRole({ ctx: otherAdmin, input: { userId: t.admin.id, role: "VIEWER" } });
    [row] = (await listApiKeys({ ctx: otherAdmin })).filter((x) => x.id === k.id);
    expect(row).toMatchObject({ creatorRole: "VIEWER", effectiveScopes: ["monitors:read"] });
    await removeMember({ ctx: otherAdmin, userId: t.admin.id });
    [row] = (await listApiKeys({ ctx: otherAdmin })).filter((x) => x.id === k.id);
    expect(row).toMatchObject({ creatorRole: null, effectiveScopes: [] });
  });

  it("is for ADMINs of the organization only, and shows only its keys", async () => {
    const t = await apiTenant("Mine");
    const other = await apiTenant("Theirs");
    const theirs = await other.key(["monitors:read"]);
    await expect(listApiKeys({ ctx: t.ctx.EDITOR })).rejects.toMatchObject({ status: 403 });
    await expect(listApiKeys({ ctx: t.ctx.VIEWER })).rejects.toMatchObject({ status: 403 });
    expect((await listApiKeys({ ctx: t.ctx.ADMIN })).map((k) => k.id)).not.toContain(theirs.id);
    await expect(revokeApiKey({ ctx: t.ctx.ADMIN, keyId: theirs.id })).rejects.toMatchObject({ status: 404 });
    await expect(revokeApiKey({ ctx: t.ctx.EDITOR, keyId: theirs.id })).rejects.toMatchObject({ status: 403 });
    expect((await api("GET", "/api/v1/monitors", { key: theirs.key })).status).toBe(200);
  });
});
