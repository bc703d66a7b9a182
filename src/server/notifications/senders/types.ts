import type { NotificationChannel } from "../../db/schema";
import type { ChannelSecrets } from "../channel-config";
import type { AlertMessage } from "../message";

export type SendInput = {
  channel: Pick<NotificationChannel, "id" | "name" | "type" | "config">;
  secrets: ChannelSecrets;
  message: AlertMessage;
  /** Stable across retries of one delivery: receivers de-duplicate on it. */
  deliveryId: string;
};

/** A sender resolves when the provider accepted the message and throws DeliveryError otherwise. */
export type SendOutcome = { httpStatus: number | null; response: string | null; skipped?: string };
export type Sender = (input: SendInput) => Promise<SendOutcome>;
