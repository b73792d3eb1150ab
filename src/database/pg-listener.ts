/**
 * A dedicated PostgreSQL connection that LISTENs on channels and survives
 * connection loss: it reconnects with backoff and then calls `onReconnect`, so
 * the owner can catch up on whatever it missed (NOTIFY is not durable).
 */
import { Logger } from '@nestjs/common';
import { Client } from 'pg';

export interface PgListenerOptions {
  readonly url: string;
  readonly channels: readonly string[];
  readonly name: string;
  onNotify(channel: string, payload: string | undefined): void;
  /** Called after every successful (re)connection, including the first. */
  onReconnect?(): void | Promise<void>;
}

const MAX_DELAY_MS = 10_000;

export class PgListener {
  private readonly logger: Logger;
  private client: Client | null = null;
  private stopped = false;
  private delayMs = 250;

  constructor(private readonly options: PgListenerOptions) {
    this.logger = new Logger(options.name);
  }

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.options.url,
      application_name: this.options.name,
    });
    client.on('notification', (message) => this.options.onNotify(message.channel, message.payload));
    client.on('error', (error) => {
      this.logger.warn(`listener connection failed: ${error.message}`);
      void this.reconnect(client);
    });
    client.on('end', () => void this.reconnect(client));
    await client.connect();
    for (const channel of this.options.channels)
      await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    this.client = client;
    this.delayMs = 250;
    await this.options.onReconnect?.();
  }

  private async reconnect(failed: Client): Promise<void> {
    if (this.stopped || this.client !== failed) return;
    this.client = null;
    failed.end().catch(() => undefined);
    while (!this.stopped) {
      await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      this.delayMs = Math.min(this.delayMs * 2, MAX_DELAY_MS);
      try {
        await this.connect();
        this.logger.log('listener reconnected');
        return;
      } catch (error) {
        this.logger.warn(`listener reconnect failed: ${(error as Error).message}`);
      }
    }
  }
}
