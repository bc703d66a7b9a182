import { statusAssetRoute } from "@/web/status-assets";

const route = statusAssetRoute("feed.rss");
export const GET = route.GET;
export const OPTIONS = route.OPTIONS;
