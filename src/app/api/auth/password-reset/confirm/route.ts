import { NextResponse } from "next/server";
import { resetPassword } from "@/server/services/auth/reset-password";
import { jsonRoute } from "@/web/api";

export const POST = jsonRoute(async ({ body, meta }) => {
  await resetPassword({ input: body, meta });
  return NextResponse.json({ ok: true });
});
