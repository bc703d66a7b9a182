import bcrypt from "bcrypt";
import { env } from "../env";

// bcrypt silently ignores bytes past 72; refuse instead of truncating.
export const MAX_PASSWORD_BYTES = 72;
export const MIN_PASSWORD_LENGTH = 10;

export async function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, env().BCRYPT_COST);
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (Buffer.byteLength(password, "utf8") > MAX_PASSWORD_BYTES) return false;
  return bcrypt.compare(password, hash);
}

// Compared against when the email is unknown, so timing does not reveal which accounts exist.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= bcrypt.hash("perigee-timing-equaliser", env().BCRYPT_COST);
  return dummyHash;
}
