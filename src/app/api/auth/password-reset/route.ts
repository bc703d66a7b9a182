import { NextResponse } from "next/server";
import { requestPasswordReset } from "@/server/services/auth/request-password-reset";
import { jsonRoute } from "@/web/api";

export const POST = jsonRoute(async ({ body, meta }) => {
  await requestPasswordReset({ input: body, meta });
  return NextResponse.json({ ok: true, message: "If an account exists for that email, we sent a link to reset its password. It expires in 60 minutes." }, { status: 202 });
});
