import { describe, expect, it } from "vitest";
import { Forbidden, Invalid, NotFound } from "../../src/server/errors";
import { createMaintenanceWindow } from "../../src/server/services/maintenance-windows/create";
import { deleteMaintenanceWindow } from "../../src/server/services/maintenance-windows/delete";
import { listMaintenanceWindows } from "../../src/server/services/maintenance-windows/list";
import { createTenant } from "../helpers/factories";
import { insertMonitor } from "../helpers/monitor-factory";

describe("maintenance windows", () => {
  it("creates one-off and weekly windows with field-level validation", async () => {
    const t = await createTenant();
    const now = Date.now();
    const w = await createMaintenanceWindow({ ctx: t.ctx.EDITOR, input: { name: "Deploy", kind: "one_off", startsAt: new Date(now - 1000), endsAt: new Date(now + 3_600_000) } });
    expect(w.kind).toBe("one_off");
    const list = await listMaintenanceWindows({ ctx: t.ctx.VIEWER });
    expect(list.find((x) => x.id === w.id)?.activeNow).toBe(true);

    const bad = await createMaintenanceWindow({ ctx: t.ctx.EDITOR, input: { name: "", kind: "weekly", startTime: "25:00", timeZone: "Mars/Olympus" } }).catch((e) => e);
    expect(bad).toBeInstanceOf(Invalid);
    expect(Object.keys(bad.fields).sort()).toEqual(["durationMinutes", "name", "startTime", "timeZone", "weekdays"]);
    const backwards = await createMaintenanceWindow({ ctx: t.ctx.EDITOR, input: { name: "x", kind: "one_off", startsAt: new Date(now), endsAt: new Date(now - 1) } }).catch((e) => e);
    expect(backwards.fields.endsAt[0]).toMatch(/after the start/);
  });

  it("VIEWER cannot create or delete; other tenants' monitors and windows are 404", async () => {
    const t = await createTenant();
    const other = await createTenant();
    const foreignMonitor = await insertMonitor(other.org.id);
    const input = { name: "Nightly", kind: "weekly", weekdays: [1, 2], startTime: "02:00", durationMinutes: 30, timeZone: "Europe/Berlin" };
    await expect(createMaintenanceWindow({ ctx: t.ctx.VIEWER, input })).rejects.toBeInstanceOf(Forbidden);
    await expect(createMaintenanceWindow({ ctx: t.ctx.EDITOR, input: { ...input, monitorIds: [foreignMonitor.id] } })).rejects.toBeInstanceOf(NotFound);
    const w = await createMaintenanceWindow({ ctx: t.ctx.EDITOR, input });
    await expect(deleteMaintenanceWindow({ ctx: t.ctx.VIEWER, id: w.id })).rejects.toBeInstanceOf(Forbidden);
    await expect(deleteMaintenanceWindow({ ctx: other.ctx.ADMIN, id: w.id })).rejects.toBeInstanceOf(NotFound);
    await deleteMaintenanceWindow({ ctx: t.ctx.ADMIN, id: w.id });
    expect(await listMaintenanceWindows({ ctx: t.ctx.ADMIN })).toHaveLength(0);
  });
});
