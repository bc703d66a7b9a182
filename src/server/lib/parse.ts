import type { z } from "zod";
import { Invalid, fieldErrorsFrom } from "../errors";

/** Parses service input, turning a zod failure into a field-level `Invalid`. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const fields = fieldErrorsFrom(r.error.issues);
    const first = Object.values(fields)[0]?.[0] ?? "Invalid input";
    throw new Invalid(first, fields);
  }
  return r.data;
}
