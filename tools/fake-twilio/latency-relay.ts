import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP relay on 127.0.0.1 that puts a network's round-trip time between a client and a server
 * on loopback (the fake Twilio), so that what a connection costs shows: every byte takes RTT/2
 * to cross in either direction, and a new connection's TCP handshake costs one RTT.
 *
 * How: the relay accepts a connection, opens one to the target, and carries the bytes each way
 * through a queue that delivers each chunk RTT/2 after it arrived, in order. The kernel
 * completes the client's handshake at once (a userland relay cannot delay a SYN-ACK), so the
 * client's first bytes are held until one RTT has passed since the accept, as if its `connect`
 * had come back from a far server, and then take RTT/2 like any other. So a TLS connection
 * costs what it costs over a real path: TCP (1 RTT) + TLS 1.3 (1 RTT) + the request (1 RTT).
 *
 * Both legs run with TCP_NODELAY, and the kernel acknowledges every segment at once on
 * loopback: what Nagle's algorithm and delayed ACKs cost on a real path does not show here.
 * Timers are one per direction and connection; `close()` drops every connection and timer.
 */
export interface RelayStats {
  /** Connections the relay accepted (each one a TCP handshake through the relay). */
  connections: number;
  /**
   * Round trips the clients waited for: one per TCP handshake, and one per flight of client data
   * (its first data, or data after the server's). Exact for request-response protocols such as
   * TLS handshakes and HTTP/1.1, where the client waits for the server between flights.
   */
  roundTrips: number;
  bytesUp: number;
  bytesDown: number;
}

type Item = { at: number; chunk: Buffer } | { at: number; end: true };

/** One direction of one connection: chunks delivered `delayMs` after they came, in order. */
class DelayedPipe {
  private readonly queue: Item[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly to: Socket,
    private readonly delayMs: number,
    /** Nothing is delivered before this time (the end of the simulated TCP handshake). */
    private readonly notBefore: number,
    /** The relay's count of pending timers, kept by every pipe. */
    private readonly timers: { pending: number },
  ) {}

  push(chunk: Buffer): void {
    this.enqueue({ at: this.dueTime(), chunk });
  }

  end(): void {
    this.enqueue({ at: this.dueTime(), end: true });
  }

  stop(): void {
    this.closed = true;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timers.pending--;
    }
    this.timer = undefined;
    this.queue.length = 0;
  }

  private dueTime(): number {
    return Math.max(performance.now(), this.notBefore) + this.delayMs;
  }

  private enqueue(item: Item): void {
    if (this.closed) return;
    this.queue.push(item);
    if (this.timer === undefined) this.schedule();
  }

  private schedule(): void {
    const head = this.queue[0];
    if (head === undefined || this.closed) return;
    this.timer = setTimeout(() => this.deliver(), Math.max(0, head.at - performance.now()));
    this.timers.pending++;
  }

  private deliver(): void {
    this.timer = undefined;
    this.timers.pending--;
    const now = performance.now();
    // Timers fire up to a millisecond early or late: deliver what is due within half of one.
    while (this.queue.length > 0 && (this.queue[0]?.at ?? Infinity) <= now + 0.5) {
      const item = this.queue.shift();
      if (item === undefined || this.to.destroyed || this.to.writableEnded) break;
      if ('end' in item) this.to.end();
      else this.to.write(item.chunk);
    }
    this.schedule();
  }
}

export class LatencyRelay {
  readonly stats: RelayStats = { connections: 0, roundTrips: 0, bytesUp: 0, bytesDown: 0 };
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly pipes = new Set<DelayedPipe>();
  private readonly timers = { pending: 0 };

  /**
   * @param target host and port of the server to relay to (on loopback)
   * @param rttMs the round trip to add; each direction takes half of it
   */
  constructor(
    private readonly target: { host: string; port: number },
    readonly rttMs: number,
  ) {
    this.server = createServer({ noDelay: true, allowHalfOpen: true }, (client) => this.relay(client));
  }

  /** Listens on 127.0.0.1 at a free port. */
  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** What the relay holds open now: its sockets (two per connection) and its pending timers. */
  get held(): { sockets: number; timers: number } {
    return { sockets: this.sockets.size, timers: this.timers.pending };
  }

  /** Zeroes the counters (the connections still open stay open). */
  resetStats(): void {
    Object.assign(this.stats, { connections: 0, roundTrips: 0, bytesUp: 0, bytesDown: 0 });
  }

  /** Stops listening, drops every connection and clears every timer. */
  async close(): Promise<void> {
    for (const pipe of this.pipes) pipe.stop();
    // Resolves once every leg has closed, the ones to the target too (the server counts only
    // the connections it accepted).
    const legsClosed = [...this.sockets].map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())));
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([...legsClosed, new Promise<void>((resolve) => this.server.close(() => resolve()))]);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private relay(client: Socket): void {
    this.stats.connections++;
    this.stats.roundTrips++;
    const oneWay = this.rttMs / 2;
    // The client's connect came back at once; over the path it would have taken one RTT.
    const handshakeDone = performance.now() + this.rttMs;
    const server = connect({ host: this.target.host, port: this.target.port, noDelay: true, allowHalfOpen: true });
    this.track(client);
    this.track(server);
    const up = new DelayedPipe(server, oneWay, handshakeDone, this.timers);
    const down = new DelayedPipe(client, oneWay, handshakeDone, this.timers);
    this.pipes.add(up);
    this.pipes.add(down);
    let last: 'up' | 'down' | undefined;
    client.on('data', (chunk: Buffer) => {
      this.stats.bytesUp += chunk.length;
      if (last !== 'up') this.stats.roundTrips++;
      last = 'up';
      up.push(chunk);
    });
    server.on('data', (chunk: Buffer) => {
      this.stats.bytesDown += chunk.length;
      last = 'down';
      down.push(chunk);
    });
    client.on('end', () => up.end());
    server.on('end', () => down.end());
    // A reset or an error on one side reaches the other after the same delay, as a RST would;
    // a connection that ended normally closes both ways through the pipes' end markers.
    let dropping = false;
    const drop = (): void => {
      if (dropping) return;
      dropping = true;
      setTimeout(() => {
        client.destroy();
        server.destroy();
      }, oneWay);
    };
    client.on('error', drop);
    server.on('error', drop);
    client.on('close', (hadError) => (hadError ? drop() : undefined));
    server.on('close', (hadError) => (hadError ? drop() : undefined));
    let open = 2;
    const closed = (): void => {
      if (--open > 0) return;
      up.stop();
      down.stop();
      this.pipes.delete(up);
      this.pipes.delete(down);
    };
    client.once('close', closed);
    server.once('close', closed);
  }
}
