/**
 * Per-run TLS material: a throwaway certificate authority and a server
 * certificate for 127.0.0.1 and localhost signed by it, so clients exercise
 * the kubeconfig `certificate-authority-data` path exactly as against a real
 * cluster. RSA keys come from Node's native generator (fast); node-forge
 * builds and signs the X.509 certificates. Test material only.
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

export interface TlsMaterial {
  /** PEM of the CA certificate (what clients trust). */
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

const generateRsa = promisify(generateKeyPair);

async function rsaKeys(): Promise<{
  privateKey: forge.pki.rsa.PrivateKey;
  publicKey: forge.pki.rsa.PublicKey;
  pem: string;
}> {
  const { privateKey } = await generateRsa('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return {
    privateKey: forgeKey,
    publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e),
    pem,
  };
}

function certificate(
  subject: string,
  publicKey: forge.pki.rsa.PublicKey,
  extensions: object[],
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 7 * 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: subject }]);
  cert.setExtensions(extensions);
  return cert;
}

/** Generates a CA and a server certificate (for 127.0.0.1, ::1 and localhost). */
export async function generateTlsMaterial(): Promise<TlsMaterial> {
  const [ca, server] = await Promise.all([rsaKeys(), rsaKeys()]);
  const caCert = certificate('kube-sim-ca', ca.publicKey, [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
  ]);
  caCert.setIssuer(caCert.subject.attributes);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const serverCert = certificate('kube-apiserver', server.publicKey, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
        { type: 2, value: 'localhost' },
      ],
    },
  ]);
  serverCert.setIssuer(caCert.subject.attributes);
  serverCert.sign(ca.privateKey, forge.md.sha256.create());
  return {
    caPem: forge.pki.certificateToPem(caCert),
    certPem: forge.pki.certificateToPem(serverCert),
    keyPem: server.pem,
  };
}
