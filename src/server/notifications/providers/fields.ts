import { z } from "zod";

/** Field schemas several providers share, and the shapes their views answer with. */
export const httpUrl = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, `${what} is required`)
    .max(2048, `${what} is too long`)
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === "https:" || u.protocol === "http:";
      } catch {
        return false;
      }
    }, `${what} must be a full http(s) URL such as https://example.com/hook`);

/** A channel's own provider endpoint instead of the install's (a proxy, a regional gateway). */
export const baseUrl = () => httpUrl("Base URL").optional();

/** View shapes, shared so the view schema lists each once. */
export const view = {
  text: z.string(),
  number: z.number(),
  list: z.array(z.string()),
  masked: z.string().describe("Masked: write-only"),
} as const;
