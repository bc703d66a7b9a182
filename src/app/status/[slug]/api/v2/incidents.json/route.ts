import { statusAssetRoute } from "@/web/status-assets";

const route = statusAssetRoute("api/v2/incidents.json");
export const GET = route.GET;
export const OPTIONS = route.OPTIONS;
