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

const UNTRUSTED = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
]);
const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL|EPROTO$|HOSTNAME_MISMATCH)/;

/** A readable reason for an OpenSSL verification code (socket.authorizationError or err.code). */
export function describeTlsCode(code: string): string {
  if (code === "CERT_HAS_EXPIRED") return "certificate has expired";
  if (code === "CERT_NOT_YET_VALID") return "certificate is not yet valid";
  if (code === "CERT_REVOKED") return "certificate has been revoked";
  if (UNTRUSTED.has(code)) return `self-signed / untrusted certificate (${code})`;
  return code;
}

type TlsError = NodeJS.ErrnoException & { reason?: string; host?: string; cert?: { subjectaltname?: string } };

/**
 * Maps a socket/DNS/TLS error to an error class and a readable message. Only the error's code
 * and the target are used, never request headers or URLs, so no secret can leak into it.
 */
export function classifyError(err: unknown, target: string): { errorClass: ErrorClass; message: string } {
  if (err instanceof CheckFailure) return { errorClass: err.errorClass, message: err.message };
  if (isSsrfBlocked(err)) return { errorClass: "blocked", message: (err as Error).message };
  const e = (err ?? {}) as TlsError;
  const code = typeof e.code === "string" ? e.code : "";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_FAIL" || code === "ENODATA" || code === "ESERVFAIL" || code === "ENONAME") {
    return { errorClass: "dns", message: `DNS lookup failed for ${target} (${code === "ENOTFOUND" ? "no such host" : code})` };
  }
  if (code === "ERR_INVALID_HTTP_TOKEN" || code === "ERR_INVALID_CHAR" || code === "ERR_HTTP_INVALID_HEADER_VALUE") {
    return { errorClass: "internal", message: "The request headers are not valid HTTP" };
  }
  if (code === "ERR_SOCKET_BAD_PORT") return { errorClass: "internal", message: `Invalid port for ${target}` };
  if (code === "ECONNREFUSED") return { errorClass: "refused", message: `Connection refused by ${target}` };
  if (code === "ECONNRESET" || code === "EPIPE") return { errorClass: "refused", message: `Connection reset by ${target}` };
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "EHOSTDOWN" || code === "ENETDOWN") {
    return { errorClass: "refused", message: `${target} is unreachable (${code})` };
  }
  if (code === "ETIMEDOUT" || code === "ESOCKETTIMEDOUT") return { errorClass: "timeout", message: `No answer from ${target} (${code})` };
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    const alt = e.cert?.subjectaltname;
    return { errorClass: "tls", message: `TLS error with ${target}: hostname mismatch: ${e.host ?? target} is not in the certificate's altnames${alt ? ` (${alt})` : ""}` };
  }
  if (TLS_CODES.test(code) || UNTRUSTED.has(code)) {
    const why = describeTlsCode(code);
    return { errorClass: "tls", message: `TLS error with ${target}: ${why === code ? `handshake failed (${code})` : why}` };
  }
  // The server answered, but not with HTTP (llhttp parse errors): the service is not what was asked for.
  if (code.startsWith("HPE_")) return { errorClass: "refused", message: `${target} did not answer with valid HTTP (${code})` };
  return { errorClass: "internal", message: "Internal error while running the check" };
}
