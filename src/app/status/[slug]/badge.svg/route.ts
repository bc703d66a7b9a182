import { statusAssetRoute } from "@/web/status-assets";

const route = statusAssetRoute("badge.svg");
export const GET = route.GET;
export const OPTIONS = route.OPTIONS;
