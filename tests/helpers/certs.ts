import { generateKeyPairSync } from "node:crypto";
import forge from "node-forge";

/** A test PKI made at test time (nothing checked in): a CA and leaf certificates signed by it. */
export type Pem = { key: string; cert: string };
export type TestCa = Pem & { privateKey: forge.pki.rsa.PrivateKey; subject: forge.pki.CertificateField[] };

const DAY = 86_400_000;

// RSA keys come from node:crypto (native, milliseconds) rather than forge's JS generator (seconds).
function makeKeys(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
  return { publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey, privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey, privatePem: privateKey };
}

function serial(): string {
  // Positive, non-zero leading nibble: a serial with the high bit set would be read as negative.
  return "1" + forge.util.bytesToHex(forge.random.getBytesSync(8));
}

export function makeCa(name = "Perigee Test CA"): TestCa {
  const keys = makeKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - DAY);
  cert.validity.notAfter = new Date(Date.now() + 3650 * DAY);
  const attrs = [{ name: "commonName", value: name }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: "basicConstraints", cA: true, critical: true }, { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true }, { name: "subjectKeyIdentifier" }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { privateKey: keys.privateKey, subject: cert.subject.attributes, key: keys.privatePem, cert: forge.pki.certificateToPem(cert) };
}

/**
 * A leaf for `names` (DNS names and IPv4 addresses go into subjectAltName; the first is the CN),
 * valid from `fromDays` to `toDays` relative to now, signed by `ca`, or self-signed when null.
 */
export function makeLeaf(ca: TestCa | null, names: string[], fromDays = -1, toDays = 90): Pem {
  const keys = makeKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() + fromDays * DAY);
  cert.validity.notAfter = new Date(Date.now() + toDays * DAY);
  cert.setSubject([{ name: "commonName", value: names[0] ?? "leaf" }]);
  cert.setIssuer(ca ? ca.subject : [{ name: "commonName", value: names[0] ?? "leaf" }]);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
    { name: "extKeyUsage", serverAuth: true },
    { name: "subjectAltName", altNames: names.map((n) => (/^[\d.]+$/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
  ]);
  cert.sign(ca ? ca.privateKey : keys.privateKey, forge.md.sha256.create());
  return { key: keys.privatePem, cert: forge.pki.certificateToPem(cert) };
}

/** The certificates the executor tests need, all for localhost / 127.0.0.1 unless stated. */
export function makeTestPki() {
  const ca = makeCa();
  const local = ["localhost", "127.0.0.1"];
  return {
    ca,
    valid: makeLeaf(ca, local, -1, 90),
    expired: makeLeaf(ca, local, -30, -3),
    expiringIn5Days: makeLeaf(ca, local, -1, 5),
    notYetValid: makeLeaf(ca, local, 2, 90),
    wrongHost: makeLeaf(ca, ["other.example"], -1, 90),
    selfSigned: makeLeaf(null, local, -1, 90),
  };
}
