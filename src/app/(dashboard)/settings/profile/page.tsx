import { redirect } from "next/navigation";

/** The old address of Settings → Account. */
export default function ProfileRedirect() {
  redirect("/settings/account");
}
