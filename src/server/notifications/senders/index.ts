import type { ChannelType } from "../../db/schema";
import { sendEmail } from "./email";
import { sendPagerDuty } from "./pagerduty";
import { sendSlack } from "./slack";
import { sendSms } from "./sms";
import { sendTelegram } from "./telegram";
import type { Sender } from "./types";
import { sendWebhook } from "./webhook";

export const SENDERS: Record<ChannelType, Sender> = {
  email: sendEmail,
  slack: sendSlack,
  sms: sendSms,
  pagerduty: sendPagerDuty,
  telegram: sendTelegram,
  webhook: sendWebhook,
};
