import { z } from "zod";

/** A time zone Intl knows (an IANA name like Europe/Berlin). */
export const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const maintenanceInputSchema = z
  .object({
    name: z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(120, "Name must be at most 120 characters"),
    kind: z.enum(["one_off", "weekly"], { error: "Choose one-off or weekly" }),
    monitorIds: z
      .array(z.uuid({ error: "Unknown monitor" }))
      .max(500)
      .default([]),
    startsAt: z.coerce.date({ error: "Enter a start date and time" }).optional(),
    endsAt: z.coerce.date({ error: "Enter an end date and time" }).optional(),
    weekdays: z.array(z.coerce.number().int().min(1).max(7)).max(7).default([]),
    startTime: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use 24-hour HH:MM, like 02:30")
      .optional(),
    durationMinutes: z.coerce
      .number()
      .int()
      .min(1, "At least 1 minute")
      .max(7 * 24 * 60, "At most a week")
      .optional(),
    timeZone: z.string().default("UTC").refine(isTimeZone, "Unknown time zone; use an IANA name like Europe/Berlin"),
  })
  .superRefine((v, ctx) => {
    const need = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (v.kind === "one_off") {
      if (!v.startsAt) need("startsAt", "Enter a start date and time");
      if (!v.endsAt) need("endsAt", "Enter an end date and time");
      if (v.startsAt && v.endsAt && v.endsAt <= v.startsAt) need("endsAt", "The end must be after the start");
    } else {
      if (!v.weekdays.length) need("weekdays", "Pick at least one day");
      if (!v.startTime) need("startTime", "Enter a start time");
      if (!v.durationMinutes) need("durationMinutes", "Enter how long it lasts");
    }
  });

export type MaintenanceInput = z.input<typeof maintenanceInputSchema>;
