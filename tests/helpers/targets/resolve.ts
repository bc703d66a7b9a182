/** Resolver seams for ExecOptions.resolve: every name a test uses maps to loopback, nothing leaves the machine. */
type Answer = { address: string; family: 4 | 6 }[];

export function resolveTo(map: Record<string, string>): (hostname: string) => Promise<Answer> {
  return async (hostname) => {
    const address = map[hostname.toLowerCase()];
    if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname });
    return [{ address, family: address.includes(":") ? 6 : 4 }];
  };
}

/** A resolver that answers after `ms` (to make the DNS phase measurably long). */
export function slowResolve(ms: number, address = "127.0.0.1"): (hostname: string) => Promise<Answer> {
  return () => new Promise((r) => setTimeout(() => r([{ address, family: 4 }]), ms));
}

/** A resolver that never answers. */
export const hangingResolve = (): Promise<Answer> => new Promise(() => undefined);

export function failingResolve(code: string): (hostname: string) => Promise<Answer> {
  return async (hostname) => {
    throw Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code, hostname });
  };
}
