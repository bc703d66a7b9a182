import { randomBytes } from "node:crypto";

export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return base || "org";
}

export function slugWithSuffix(name: string): string {
  return `${slugify(name)}-${randomBytes(3).toString("hex")}`;
}
