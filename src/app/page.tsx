import { redirect } from "next/navigation";
import { getSession } from "@/web/session";

export default async function Home() {
  const session = await getSession();
  redirect(session ? "/monitors" : "/sign-in");
}
