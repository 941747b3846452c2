/**
 * Stream mode (platforms.md §3 a): dingtalk-stream's `DWClient`, wrapped.
 * - The gateway URL is a module constant in the SDK, so `getEndpoint()` is overridden: our fetch
 *   POSTs `${DINGTALK_API_URL}/v1.0/gateway/connections/open` and sets the SDK's private `dw_url`
 *   (the wrapper's tests fail if an SDK upgrade renames it or stops calling getEndpoint()).
 * - The SDK's own reconnect (fixed 1 s, can race ours into two sockets) is off; we reconnect on
 *   socket close with exponential backoff + full jitter and a fresh ticket each time. A SYSTEM
 *   `disconnect` frame closes our side at once (the server would close ~10 s later).
 * - `debug` stays off: the SDK prints its whole config, client secret included, in debug mode.
 * - Robot messages and card clicks (CALLBACK frames) are answered with `socketCallBackResponse`
 *   before any work; EVENT frames are acked synchronously by the SDK with our listener's return.
 * - Frames that are not JSON or miss their headers are logged and dropped (the SDK would throw
 *   inside the socket's message handler and take the process down).
 */
import { DWClient, EventAck, type DWClientDownStream } from 'dingtalk-stream';
import type { Logger } from 'pino';
import { AdapterError } from '../../bot/errors.ts';
import type { Dispatcher } from './dispatch.ts';
import { normalizeCardCallback, normalizeMemberEvent, normalizeRobotMessage } from './normalize.ts';
import type { RawCardCallback, RawChatMemberEvent, RawRobotMessage, RawStreamFrame } from './raw-types.ts';

export const TOPIC_ROBOT = '/v1.0/im/bot/messages/get';
export const TOPIC_CARD = '/v1.0/card/instances/callback';
export const RECONNECT_BASE_MS = 1_000;
export const RECONNECT_CAP_MS = 60_000;

export type SocketState = 'up' | 'down' | 'connecting';

export interface StreamDeps {
  clientId: string;
  clientSecret: string;
  robotCode: string;
  apiUrl: string;
  logger: Logger;
  dispatcher: Dispatcher;
  onState?: (state: SocketState) => void;
  fetch?: typeof fetch;
  timeoutMs?: number;
  reconnectBaseMs?: number;
  random?: () => number;
}

/** Exponential with full jitter over the upper half: spreads replicas that lost the socket together. */
export function reconnectDelayMs(attempt: number, baseMs = RECONNECT_BASE_MS, random: () => number = Math.random): number {
  const ceiling = Math.min(RECONNECT_CAP_MS, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

interface SocketLike {
  once(event: 'close', fn: () => void): void;
  close(): void;
  readyState: number;
}

/** The parts of DWClient's private state the wrapper relies on (checked by tests/adapters/dingtalk). */
interface DWClientPrivates {
  dw_url?: string;
  socket?: SocketLike;
}

class GatewayClient extends DWClient {
  constructor(private readonly deps: StreamDeps) {
    // autoReconnect is read from the spread options though the constructor's type omits it.
    super({ clientId: deps.clientId, clientSecret: deps.clientSecret, debug: false, keepAlive: false, autoReconnect: false, ua: 'linkstar-kpi-bot' } as ConstructorParameters<typeof DWClient>[0]);
  }

  override async getEndpoint(): Promise<this> {
    const what = 'gateway/connections/open';
    let res: Response;
    try {
      res = await (this.deps.fetch ?? fetch)(`${this.deps.apiUrl}/v1.0/gateway/connections/open`, {
        method: 'POST',
        // Without Accept the gateway answers XML (platforms.md §3 a).
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ clientId: this.config.clientId, clientSecret: this.config.clientSecret, ua: this.config.ua, subscriptions: this.config.subscriptions }),
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new AdapterError('dingtalk', 'unavailable', `${what}: network error`, { cause: err });
    }
    const body = (await res.json().catch(() => null)) as { endpoint?: unknown; ticket?: unknown } | null;
    if (!res.ok || typeof body?.endpoint !== 'string' || typeof body.ticket !== 'string') {
      throw new AdapterError('dingtalk', res.status === 401 || res.status === 403 ? 'auth' : 'unavailable', `${what}: HTTP ${res.status}`);
    }
    (this as unknown as DWClientPrivates).dw_url = `${body.endpoint}?ticket=${encodeURIComponent(body.ticket)}`;
    return this;
  }

  override onDownStream(data: string): void {
    let frame: RawStreamFrame;
    try {
      frame = JSON.parse(String(data)) as RawStreamFrame;
    } catch {
      this.deps.logger.warn('dingtalk: a Stream frame that is not JSON was dropped');
      return;
    }
    const h = frame?.headers;
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string' || !h || typeof h !== 'object' || typeof h.topic !== 'string' || typeof h.messageId !== 'string' || typeof frame.data !== 'string') {
      this.deps.logger.warn({ type: typeof frame?.type === 'string' ? frame.type : undefined }, 'dingtalk: a Stream frame without topic, messageId or data was dropped');
      return;
    }
    const downstream = frame as DWClientDownStream;
    if (frame.type === 'SYSTEM') {
      this.onSystem(downstream);
      if (h.topic === 'disconnect') {
        this.deps.logger.info('dingtalk: the gateway asked us to reconnect');
        this.socketOf()?.close();
      }
    } else if (frame.type === 'EVENT') this.onEvent(downstream);
    else if (frame.type === 'CALLBACK') this.onCallback(downstream);
  }

  socketOf(): SocketLike | undefined {
    return (this as unknown as DWClientPrivates).socket;
  }
}

function parseData<T>(data: string): T | null {
  try {
    const v = JSON.parse(data) as unknown;
    return v && typeof v === 'object' ? (v as T) : null;
  } catch {
    return null;
  }
}

export interface StreamConnection {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Sockets opened so far (tests and logs). */
  readonly connects: number;
}

export function createStreamConnection(deps: StreamDeps): StreamConnection {
  const { logger, dispatcher } = deps;
  const client = new GatewayClient(deps);
  const botUserIds = new Set<string>();
  let stopped = true;
  let attempt = 0;
  let connects = 0;
  let timer: NodeJS.Timeout | undefined;

  client.registerAllEventListener((msg) => {
    const raw = parseData<RawChatMemberEvent>(msg.data);
    const event = raw && normalizeMemberEvent(msg.headers.eventType, msg.headers.eventId, msg.headers.eventCorpId, raw, { robotCode: deps.robotCode, botUserIds }, new Date());
    if (event) dispatcher.dispatch(event);
    // Acked even when not ours: an unacked event is redelivered for about a minute.
    return { status: EventAck.SUCCESS };
  });
  client.registerCallbackListener(TOPIC_ROBOT, (msg: DWClientDownStream) => {
    client.socketCallBackResponse(msg.headers.messageId, {});
    const raw = parseData<RawRobotMessage>(msg.data);
    if (raw?.chatbotUserId) botUserIds.add(raw.chatbotUserId);
    const event = raw && normalizeRobotMessage(raw, new Date());
    if (event) dispatcher.dispatch(event);
    else logger.info('dingtalk: a robot message without the fields we need was ignored');
  });
  client.registerCallbackListener(TOPIC_CARD, (msg: DWClientDownStream) => {
    // The bot updates the card itself (PUT card/instances); the callback answer changes nothing.
    client.socketCallBackResponse(msg.headers.messageId, {});
    const raw = parseData<RawCardCallback>(msg.data);
    const event = raw && normalizeCardCallback(raw, msg.headers.messageId, new Date());
    if (event) dispatcher.dispatch(event);
    else logger.info('dingtalk: a card callback without the fields we need was ignored');
  });

  function schedule(): void {
    if (stopped) return;
    const delay = reconnectDelayMs(attempt++, deps.reconnectBaseMs, deps.random);
    logger.info({ delayMs: delay, attempt }, 'dingtalk: Stream reconnect scheduled');
    timer = setTimeout(() => void connectOnce(), delay);
  }

  async function connectOnce(): Promise<void> {
    if (stopped) return;
    deps.onState?.('connecting');
    try {
      await client.getEndpoint();
      await client._connect();
    } catch (err) {
      // Never the error object itself: a failed gateway call must not print request details.
      logger.warn({ code: err instanceof AdapterError ? err.code : 'unavailable', reason: err instanceof Error ? err.message : undefined }, 'dingtalk: Stream connection failed');
      deps.onState?.('down');
      schedule();
      return;
    }
    const socket = client.socketOf();
    connects++;
    attempt = 0;
    deps.onState?.('up');
    logger.info('dingtalk: Stream connected');
    socket?.once('close', () => {
      deps.onState?.('down');
      if (!stopped) logger.warn('dingtalk: Stream socket closed');
      schedule();
    });
    if (stopped) socket?.close();
  }

  return {
    get connects() {
      return connects;
    },
    async start() {
      if (!stopped) return;
      stopped = false;
      await connectOnce();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const socket = client.socketOf();
      if (socket && socket.readyState <= 1) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 1000);
          socket.once('close', () => {
            clearTimeout(t);
            resolve();
          });
          socket.close();
        });
      }
      deps.onState?.('down');
      await dispatcher.drain();
    },
  };
}
