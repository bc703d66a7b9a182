import { z } from "zod";
import { env } from "../../env";
import { decrypt } from "../../lib/crypto";
import { defineKind, num } from "./kind";

/** Heartbeat: the customer's job pings a secret URL; nothing is checked from here. */
export const heartbeat = defineKind({
  type: "heartbeat",
  label: "Heartbeat",
  fields: {
    heartbeatGraceSeconds: z.coerce.number().int().min(0, "Grace must be 0 or more seconds").max(86_400).default(60),
  },
  secretFields: [],
  split: (d) => ({ config: { graceSeconds: d.heartbeatGraceSeconds }, secrets: null }),
  toInput: (c) => ({ heartbeatGraceSeconds: c.graceSeconds }),
  target: () => null,
  targets: () => undefined,
  form: {
    title: "Heartbeat",
    description: "Your cron job pings Perigee on schedule",
    namePlaceholder: "Nightly backup",
    note: "Your job requests a secret URL each time it runs; the URL is shown on the monitor’s page after saving. Perigee alerts when a ping is late by more than the grace period.",
    testable: false,
    fields: [{ name: "heartbeatGraceSeconds", label: "Grace period (seconds)", control: "number", min: 0, max: 86400, default: 60, hint: "How late a ping may be", section: "schedule" }],
  },
  view: {
    heartbeatGraceSeconds: z.number().optional(),
    heartbeatUrl: z.string().optional().describe("Heartbeat monitors: the secret URL your job calls. Only in answers to keys with monitors:write (whoever holds it can report success)."),
  },
  toView: (m, c) => ({
    heartbeatGraceSeconds: num(c.graceSeconds),
    heartbeatUrl: m.heartbeatTokenEnc ? `${env().APP_URL}/api/heartbeat/${decrypt(m.heartbeatTokenEnc, `monitor:${m.id}:heartbeat`)}` : undefined,
  }),
});
