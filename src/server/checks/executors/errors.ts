import { isSsrfBlocked } from "../ssrf";
import type { ErrorClass } from "../types";

/** A failure the executor already understood, with its class and a message for people. */
export class CheckFailure extends Error {
  constructor(
    readonly errorClass: ErrorClass,
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL|EPROTO$|HOSTNAME_MISMATCH)/;

/** Maps a socket/DNS/TLS error to an error class and a readable message. */
export function classifyError(err: unknown, target: string): { errorClass: ErrorClass; message: string } {
  if (err instanceof CheckFailure) return { errorClass: err.errorClass, message: err.message };
  if (isSsrfBlocked(err)) return { errorClass: "blocked", message: (err as Error).message };
  const e = err as NodeJS.ErrnoException & { reason?: string };
  const code = e?.code ?? "";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "ENODATA" || code === "ESERVFAIL" || code === "ENONAME" || code === "EREFUSED" && /query/i.test(e.syscall ?? "")) {
    return { errorClass: "dns", message: `DNS lookup failed for ${target} (${code})` };
  }
  if (code === "ECONNREFUSED") return { errorClass: "refused", message: `Connection refused by ${target}` };
  if (code === "ECONNRESET" || code === "EPIPE") return { errorClass: "refused", message: `Connection reset by ${target}` };
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return { errorClass: "refused", message: `${target} is unreachable (${code})` };
  if (code === "ETIMEDOUT" || code === "ESOCKETTIMEDOUT") return { errorClass: "timeout", message: e.message || `No answer from ${target}` };
  if (code === "CERT_HAS_EXPIRED") return { errorClass: "tls", message: `TLS: the certificate of ${target} has expired` };
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return { errorClass: "tls", message: `TLS: hostname mismatch — ${e.reason ?? e.message}` };
  if (code === "DEPTH_ZERO_SELF_SIGNED_CERT" || code === "SELF_SIGNED_CERT_IN_CHAIN" || code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE" || code === "UNABLE_TO_GET_ISSUER_CERT_LOCALLY") {
    return { errorClass: "tls", message: `TLS: the certificate of ${target} is self-signed or not issued by a trusted authority (${code})` };
  }
  if (TLS_CODES.test(code)) return { errorClass: "tls", message: `TLS handshake with ${target} failed: ${e.message}` };
  if (code === "HPE_INVALID_CONSTANT" || code.startsWith("HPE_")) return { errorClass: "refused", message: `${target} did not answer with valid HTTP (${code})` };
  return { errorClass: "internal", message: "Internal error while running the check" };
}
