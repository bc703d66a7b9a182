import Stripe from "stripe";
import { env } from "../env";

let client: Stripe | undefined;

/**
 * The Stripe client, or null with billing off. STRIPE_API_URL picks the protocol, host and
 * port (a Stripe-compatible stub in tests; a proxy for self-hosters). Every POST carries an
 * idempotency key chosen by the caller (stripe-node would add a random one, which does not
 * make a retried *operation* idempotent).
 */
export function stripe(): Stripe | null {
  const e = env();
  if (!e.STRIPE_SECRET_KEY) return null;
  if (!client) {
    const u = new URL(e.STRIPE_API_URL);
    client = new Stripe(e.STRIPE_SECRET_KEY, {
      host: u.hostname,
      port: u.port || (u.protocol === "http:" ? 80 : 443),
      protocol: u.protocol === "http:" ? "http" : "https",
      maxNetworkRetries: 2,
      timeout: 10_000,
      telemetry: false,
    });
  }
  return client;
}

/** Forget the client (tests that change STRIPE_* settings). */
export function resetStripe(): void {
  client = undefined;
}
