import forge from "node-forge";

/** A test CA and leaf certificates made at test time (nothing checked in). */
export type Pem = { key: string; cert: string };

const DAY = 86_400_000;

function makeKey() {
  return forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
}

function serial() {
  return forge.util.bytesToHex(forge.random.getBytesSync(8)).replace(/^[89a-f]/, "1");
}

export function makeCa(): Pem & { keys: forge.pki.rsa.KeyPair; obj: forge.pki.Certificate } {
  const keys = makeKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - DAY);
  cert.validity.notAfter = new Date(Date.now() + 3650 * DAY);
  const attrs = [{ name: "commonName", value: "Perigee Test CA" }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { keys, obj: cert, key: forge.pki.privateKeyToPem(keys.privateKey), cert: forge.pki.certificateToPem(cert) };
}

/** A leaf for `names` (DNS names and IPs), valid from/to offsets in days, signed by `ca` (or self-signed). */
export function makeLeaf(ca: ReturnType<typeof makeCa> | null, names: string[], fromDays = -1, toDays = 90): Pem {
  const keys = makeKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() + fromDays * DAY);
  cert.validity.notAfter = new Date(Date.now() + toDays * DAY);
  cert.setSubject([{ name: "commonName", value: names[0]! }]);
  cert.setIssuer(ca ? ca.obj.subject.attributes : [{ name: "commonName", value: names[0]! }]);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
    { name: "extKeyUsage", serverAuth: true },
    { name: "subjectAltName", altNames: names.map((n) => (/^[\d.]+$/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
  ]);
  cert.sign(ca ? ca.keys.privateKey : keys.privateKey, forge.md.sha256.create());
  return { key: forge.pki.privateKeyToPem(keys.privateKey), cert: forge.pki.certificateToPem(cert) };
}
