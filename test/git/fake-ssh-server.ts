/**
 * Just enough of an SSH server (RFC 4253, curve25519-sha256 with an
 * ssh-ed25519 host key) for a client to decide whether it trusts the host
 * key: version exchange, KEXINIT, and a correctly signed KEX_ECDH_REPLY;
 * then it closes the connection. A client with a known_hosts entry for this
 * key gets past the host-key check and fails with "Connection closed"; a
 * client that does not know the key refuses with "Host key verification
 * failed". Test host only, on 127.0.0.1.
 */
import {
  createHash,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  randomBytes,
  sign,
} from 'node:crypto';
import { AddressInfo, createServer, Server, Socket } from 'node:net';

const SERVER_VERSION = 'SSH-2.0-FleetplaneTestSSH_1.0';
const MSG_KEXINIT = 20;
const MSG_KEX_ECDH_INIT = 30;
const MSG_KEX_ECDH_REPLY = 31;

function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An unsigned big-endian integer as an SSH mpint. */
function sshMpint(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return sshString(
    trimmed.length > 0 && trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed,
  );
}

/** One unencrypted binary packet: length, padding length, payload, padding (block size 8). */
function packet(payload: Buffer): Buffer {
  let padding = 8 - ((payload.length + 5) % 8);
  if (padding < 4) padding += 8;
  const header = Buffer.alloc(5);
  header.writeUInt32BE(payload.length + padding + 1);
  header.writeUInt8(padding, 4);
  return Buffer.concat([header, payload, randomBytes(padding)]);
}

function kexInit(): Buffer {
  const lists = [
    'curve25519-sha256,curve25519-sha256@libssh.org',
    'ssh-ed25519',
    'aes128-ctr',
    'aes128-ctr',
    'hmac-sha2-256',
    'hmac-sha2-256',
    'none',
    'none',
    '',
    '',
  ];
  return Buffer.concat([
    Buffer.from([MSG_KEXINIT]),
    randomBytes(16),
    ...lists.map((list) => sshString(list)),
    Buffer.from([0, 0, 0, 0, 0]),
  ]);
}

/** Raw 32-byte public key of an X25519 or Ed25519 key object. */
function rawPublicKey(key: ReturnType<typeof generateKeyPairSync>['publicKey']): Buffer {
  return Buffer.from(key.export({ format: 'jwk' }).x as string, 'base64url');
}

export class FakeSshServer {
  private readonly hostKey = generateKeyPairSync('ed25519');
  private constructor(private readonly server: Server) {}

  /** Listens on a free port of 127.0.0.1. */
  static async start(): Promise<FakeSshServer> {
    const fake = new FakeSshServer(createServer());
    fake.server.on('connection', (socket) => fake.serve(socket));
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The server's host key blob (`string "ssh-ed25519", string key`). */
  get hostKeyBlob(): Buffer {
    return Buffer.concat([
      sshString('ssh-ed25519'),
      sshString(rawPublicKey(this.hostKey.publicKey)),
    ]);
  }

  /** Its known_hosts line. */
  knownHostsLine(): string {
    return `[127.0.0.1]:${this.port} ssh-ed25519 ${this.hostKeyBlob.toString('base64')}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    socket.on('error', () => undefined);
    const serverKexInit = kexInit();
    socket.write(`${SERVER_VERSION}\r\n`);
    socket.write(packet(serverKexInit));
    let buffer = Buffer.alloc(0);
    let clientVersion: string | undefined;
    let clientKexInit: Buffer | undefined;
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (clientVersion === undefined) {
        const end = buffer.indexOf('\r\n');
        if (end < 0) return;
        clientVersion = buffer.subarray(0, end).toString('utf8');
        buffer = buffer.subarray(end + 2);
      }
      while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32BE(0)) {
        const length = buffer.readUInt32BE(0);
        const padding = buffer[4];
        const payload = buffer.subarray(5, 4 + length - padding);
        buffer = buffer.subarray(4 + length);
        if (payload[0] === MSG_KEXINIT) clientKexInit = Buffer.from(payload);
        if (payload[0] === MSG_KEX_ECDH_INIT && clientKexInit) {
          const clientPublic = payload.subarray(5, 5 + payload.readUInt32BE(1));
          socket.write(this.reply(clientVersion, clientKexInit, serverKexInit, clientPublic));
          // Past the host key check the client would send NEWKEYS; the test ends there.
          setTimeout(() => socket.destroy(), 200);
        }
      }
    });
  }

  private reply(
    clientVersion: string,
    clientKexInit: Buffer,
    serverKexInit: Buffer,
    clientPublic: Buffer,
  ): Buffer {
    const ephemeral = generateKeyPairSync('x25519');
    const serverPublic = rawPublicKey(ephemeral.publicKey);
    const peer = createPublicKey({
      key: { kty: 'OKP', crv: 'X25519', x: clientPublic.toString('base64url') },
      format: 'jwk',
    });
    const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: peer });
    const exchangeHash = createHash('sha256')
      .update(
        Buffer.concat([
          sshString(clientVersion),
          sshString(SERVER_VERSION),
          sshString(clientKexInit),
          sshString(serverKexInit),
          sshString(this.hostKeyBlob),
          sshString(clientPublic),
          sshString(serverPublic),
          sshMpint(shared),
        ]),
      )
      .digest();
    const signature = sign(null, exchangeHash, this.hostKey.privateKey);
    return packet(
      Buffer.concat([
        Buffer.from([MSG_KEX_ECDH_REPLY]),
        sshString(this.hostKeyBlob),
        sshString(serverPublic),
        sshString(Buffer.concat([sshString('ssh-ed25519'), sshString(signature)])),
      ]),
    );
  }
}
