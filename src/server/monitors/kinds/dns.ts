import { z } from "zod";
import { dnsExecutor } from "../../checks/executors/dns";
import { parseResolver } from "../../checks/resolver";
import type { DnsConfig, DnsRecordType } from "../../checks/types";
import { defineKind, str } from "./kind";

const RECORD_TYPES = ["A", "AAAA", "CNAME", "MX", "TXT", "NS"] as const;

/** DNS record: resolves to the values you expect. */
export const dns = defineKind({
  type: "dns",
  label: "DNS",
  fields: {
    hostname: z.string().trim().max(253).optional(),
    /** Accepted for the name to resolve when hostname is absent. */
    host: z.string().trim().max(253, "Host is too long").optional(),
    recordType: z.enum(RECORD_TYPES).default("A"),
    expected: z.array(z.string().trim().min(1).max(512)).max(20).default([]),
    resolver: z
      .string()
      .trim()
      .regex(/^[0-9a-fA-F:.[\]]+$/, "Resolver must be an IP address, optionally with :port")
      .optional(),
  },
  refine(v, need) {
    if (!v.hostname && !v.host) need("hostname", "Hostname to resolve is required");
    if (v.resolver && !parseResolver(v.resolver)) need("resolver", 'Resolver must be an IP address: "1.1.1.1", "1.1.1.1:53", "2606:4700::1111" or "[2606:4700::1111]:53"');
  },
  secretFields: [],
  split: (d) => ({ config: { hostname: d.hostname ?? d.host, recordType: d.recordType, expected: d.expected, resolver: d.resolver }, secrets: null }),
  toInput: (c) => ({ hostname: c.hostname, recordType: c.recordType, expected: c.expected, resolver: c.resolver }),
  check: {
    toExecutable: (c, _s, timeoutMs): DnsConfig => ({
      type: "dns",
      hostname: str(c.hostname) ?? "",
      recordType: (c.recordType as DnsRecordType | undefined) ?? "A",
      expected: (c.expected as string[] | undefined) ?? [],
      resolver: str(c.resolver),
      timeoutMs,
    }),
    execute: dnsExecutor,
  },
  target: (c) => (typeof c.hostname === "string" ? `${c.hostname} ${str(c.recordType) ?? "A"}` : null),
  targets(d, check) {
    // The name itself: resolving a private zone from here reads the server's own DNS.
    const name = d.hostname ?? d.host;
    if (name) check(name, "hostname", "name");
    // parseResolver understands "ip", "ip:port", bare IPv6 and "[v6]:port"; validation already refused anything else.
    const parsed = d.resolver ? parseResolver(d.resolver) : null;
    if (parsed) check(parsed.ip, "resolver");
  },
  form: {
    title: "DNS record",
    description: "Resolves to the values you expect",
    namePlaceholder: "Checkout API",
    testable: true,
    fields: [
      { name: "hostname", label: "Hostname", control: "text", required: true, placeholder: "example.com", row: "host" },
      { name: "recordType", label: "Record type", control: "select", options: RECORD_TYPES, default: "A", row: "host" },
      { name: "expected", label: "Expected values", control: "list", placeholder: "93.184.215.14", hint: "Comma or one per line; each must be in the answer. Leave empty to accept any answer." },
      { name: "resolver", label: "Resolver (optional)", control: "text", placeholder: "1.1.1.1 or 9.9.9.9:53", hint: "Empty: the system resolver" },
    ],
  },
  view: { hostname: z.string().optional(), recordType: z.string().optional(), expected: z.array(z.string()).optional(), resolver: z.string().optional() },
  toView: (_m, c) => ({ hostname: str(c.hostname), recordType: str(c.recordType), expected: c.expected as string[] | undefined, resolver: str(c.resolver) }),
});
