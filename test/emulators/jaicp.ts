import express from 'express';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local JAICP Chat API: every route the nodes use, under `/chatapi/<token>`, with strict token,
 * parameter and body checks, a scripted bot (text, buttons, image, audio, carousel, switch to an
 * operator, hangup), operator messages for `/events` (a real long poll), asynchronous replies posted
 * to a webhook as arrays (retried three times on failure, optionally re-delivered on purpose), and a
 * restart that keeps its state, like a server that goes down and comes back.
 */

export interface JaicpEmulatorOptions {
	token?: string;
	/** How long `/events` blocks when there is nothing to return. */
	longPollMs?: number;
	/** Where asynchronous replies and operator messages are posted (the channel's webhook setting). */
	webhookUrl?: string;
	/** Extra deliveries of every webhook body after a successful one (JAICP re-delivers when unsure). */
	duplicateDeliveries?: number;
	asyncDelayMs?: number;
	webhookRetryDelayMs?: number;
	/** What the operator says when a client is switched to them (null: nothing). */
	operatorGreeting?: string | null;
	operatorDelayMs?: number;
	/**
	 * How `/events` reads `ts` ("from" in the docs, which leave open whether it includes that
	 * millisecond): false (default) returns events after it, true events at it and after.
	 */
	tsInclusive?: boolean;
	/**
	 * Client routes (history, statuses, unread count) answer 404 for a client that never wrote, as
	 * the docs imply (client IDs are looked up in Analytics → Clients). Default true.
	 */
	unknownClients404?: boolean;
	/** A server that ignores `page` and `size` of the history (they are not in the public docs): every entry, every time. */
	historyIgnoresPaging?: boolean;
}

export interface RecordedRequest {
	method: string;
	/** The path with the channel token replaced by `{token}`. */
	route: string;
	query: Record<string, string>;
	body: unknown;
	headers: http.IncomingHttpHeaders;
	tokenOk: boolean;
}

export interface WebhookDelivery {
	attempt: number;
	status: number;
	body: JaicpAnswer[];
}

interface Reply {
	type: string;
	[key: string]: unknown;
}

export interface JaicpAnswer {
	token: string;
	clientId: string;
	questionId: string;
	query?: string;
	event?: string;
	cid?: string;
	data: {
		nlpClass?: string;
		confidence?: number;
		replies: Reply[];
		answer: string;
		newSessionStarted: boolean;
		debugData: unknown[];
		endSession: boolean;
	};
	timestamp: string;
	blockForm: boolean;
}

interface StoredEvent {
	/** The envelope's type: `botResponse`, or `clientRequest` for a client's message seen on another page. */
	type: string;
	time: number;
	clientId: string;
	cid?: string;
	fromOperator: boolean;
	answer: JaicpAnswer;
}

interface Injected {
	times: number;
	status: number;
	body: unknown;
	headers: Record<string, string>;
	route?: RegExp;
}

interface Waiter {
	check: () => boolean;
}

export const STATUSES = ['SENT', 'DELIVERED', 'READ', 'NOT_SENT'];
const MAX_EVENTS = 250;
const MAX_HISTORY_PAGE = 100;

class BadRequest extends Error {
	constructor(
		message: string,
		readonly status = 400,
	) {
		super(message);
	}
}

/** JAICP writes times as ISO 8601 in UTC without a zone: "2022-09-28T12:32:13.262". */
const jaicpTimestamp = (time: number) => new Date(time).toISOString().replace(/Z$/, '');

export class JaicpEmulator {
	readonly token: string;
	readonly requests: RecordedRequest[] = [];
	readonly deliveries: WebhookDelivery[] = [];
	readonly options: Required<Omit<JaicpEmulatorOptions, 'webhookUrl' | 'token'>> & { webhookUrl?: string };

	private server?: http.Server;
	private port = 0;
	private lastTime = 0;
	private readonly events: StoredEvent[] = [];
	private readonly history = new Map<string, JaicpAnswer[]>();
	private readonly statuses = new Map<string, Map<string, string>>();
	private readonly states = new Map<string, unknown>();
	private readonly withOperator = new Set<string>();
	private readonly lastPoll = new Map<string, number>();
	private readonly waiters = new Set<Waiter>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly injected: Injected[] = [];
	private deliveriesInFlight = 0;

	private constructor(options: JaicpEmulatorOptions) {
		this.token = options.token ?? `AbCdEfGh:${randomUUID().replace(/-/g, '')}12345678`;
		this.options = {
			longPollMs: 1000,
			duplicateDeliveries: 0,
			asyncDelayMs: 10,
			webhookRetryDelayMs: 20,
			operatorGreeting: 'Hello, this is Anna from support. How can I help?',
			operatorDelayMs: 30,
			tsInclusive: false,
			historyIgnoresPaging: false,
			unknownClients404: true,
			...options,
		};
	}

	static async start(options: JaicpEmulatorOptions = {}): Promise<JaicpEmulator> {
		const emulator = new JaicpEmulator(options);
		await emulator.listen();
		return emulator;
	}

	/** The Chat API base URL to put in the credential (the token is appended by the node). */
	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}/chatapi`;
	}

	get running(): boolean {
		return this.server !== undefined;
	}

	/** Long polls waiting for an event right now. */
	get pendingPolls(): number {
		return this.waiters.size;
	}

	get webhookBusy(): boolean {
		return this.deliveriesInFlight > 0;
	}

	set webhookUrl(url: string | undefined) {
		this.options.webhookUrl = url;
	}

	/** The next `times` requests (matching `route`, if given) are answered with this status and body (a string: sent as it is, with the headers given). */
	failNext(times: number, status: number, body: unknown = { error: 'Injected failure' }, options: { route?: RegExp; headers?: Record<string, string> } = {}): void {
		this.injected.push({ times, status, body, headers: options.headers ?? {}, route: options.route });
	}

	/** An operator writes to a client: an event for `/events` (and a webhook delivery, if one is set). */
	operatorSays(clientId: string, text: string): JaicpAnswer {
		const answer = this.answer(clientId, { replies: [{ type: 'text', text }], answer: text });
		this.record(answer, true);
		this.deliver([answer]);
		return answer;
	}

	/**
	 * An operator sends several messages stored in one and the same millisecond, one after another:
	 * the first completes a pending long poll, the others come in the same millisecond after it.
	 */
	operatorSaysInOneMs(clientId: string, texts: string[]): JaicpAnswer[] {
		const time = this.nextTime();
		return texts.map((text) => {
			const answer = this.answer(clientId, { replies: [{ type: 'text', text }], answer: text }, time);
			this.record(answer, true);
			return answer;
		});
	}

	/**
	 * A client writes on another page and the bot answers with several replies, all stored in one
	 * millisecond: a `clientRequest` event, then one `botResponse` per reply (seen with `all` only).
	 */
	exchangeInOneMs(clientId: string, query: string, replies: string[]): void {
		const time = this.nextTime();
		const request = { ...this.answer(clientId, { replies: [] }, time), query };
		this.record(request, false, 'clientRequest');
		for (const text of replies) this.record(this.answer(clientId, { replies: [{ type: 'text', text }], answer: text }, time), false);
	}

	/** The bot sends a campaign message (JAICP delivers those to the webhook too). */
	broadcast(clientId: string, text: string): JaicpAnswer {
		const answer = this.answer(clientId, { replies: [{ type: 'text', text }], answer: text });
		this.record(answer, false);
		this.deliver([answer]);
		return answer;
	}

	historyOf(clientId: string): JaicpAnswer[] {
		return [...(this.history.get(clientId) ?? [])];
	}

	statusOf(clientId: string, questionId: string): string | undefined {
		return this.statuses.get(clientId)?.get(questionId);
	}

	stateOf(clientId: string): unknown {
		return this.states.get(clientId);
	}

	/** Requests to a route (token replaced by `{token}`), e.g. `GET /chatapi/{token}/events`. */
	calls(method: string, route: string | RegExp): RecordedRequest[] {
		return this.requests.filter(
			(request) => request.method === method && (typeof route === 'string' ? request.route === route : route.test(request.route)),
		);
	}

	/** Goes down: open connections (pending long polls included) are cut; the state is kept. */
	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		for (const waiter of [...this.waiters]) this.waiters.delete(waiter);
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	}

	/** Comes back on the same port with the same state. */
	async restart(): Promise<void> {
		await this.stop();
		await this.listen(this.port);
	}

	async close(): Promise<void> {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		await this.stop();
	}

	private async listen(port = 0): Promise<void> {
		const app = express();
		app.use('/chatapi/:token', express.raw({ type: () => true, limit: '1mb' }), (req, res) => this.handle(req, res));
		app.use((req, res) => {
			res.status(404).json({ status: 404, error: 'Not Found', path: req.originalUrl });
		});
		this.server = await new Promise<http.Server>((resolve) => {
			const server = app.listen(port, '127.0.0.1', () => resolve(server));
		});
		this.port = (this.server.address() as AddressInfo).port;
	}

	private handle(req: express.Request, res: express.Response): void {
		const token = req.params.token as string;
		const route = `/chatapi/{token}${req.path === '/' ? '' : req.path}`;
		const query = Object.fromEntries(Object.entries(req.query).map(([key, value]) => [key, String(value)]));
		const recorded: RecordedRequest = {
			method: req.method,
			route,
			query,
			body: undefined,
			headers: req.headers,
			tokenOk: token === this.token,
		};
		this.requests.push(recorded);

		if (!recorded.tokenOk) {
			// As JAICP's servers do, the error names the path, so the token shows up in it.
			res.status(401).json({
				timestamp: new Date().toISOString(),
				status: 401,
				error: 'Unauthorized',
				message: `Unknown Chat API channel token in ${req.originalUrl}`,
				path: req.originalUrl,
			});
			return;
		}
		const injected = this.injected.find((entry) => entry.times > 0 && (!entry.route || entry.route.test(`${req.method} ${route}`)));
		if (injected) {
			injected.times--;
			if (typeof injected.body === 'string') res.status(injected.status).set(injected.headers).send(injected.body);
			else res.status(injected.status).set(injected.headers).json(injected.body);
			return;
		}
		try {
			recorded.body = this.parseBody(req);
			this.dispatch(req.method, req.path, query, recorded.body, res);
		} catch (error) {
			const status = error instanceof BadRequest ? error.status : 500;
			res.status(status).json({ status, error: error instanceof Error ? error.message : String(error) });
		}
	}

	private parseBody(req: express.Request): unknown {
		const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
		if (req.method === 'GET') {
			if (raw.length > 0) throw new BadRequest('A GET request has no body');
			return undefined;
		}
		if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
			throw new BadRequest('Content-Type must be application/json', 415);
		}
		try {
			return JSON.parse(raw.toString('utf8'));
		} catch {
			throw new BadRequest('The body is not valid JSON');
		}
	}

	private dispatch(method: string, path: string, query: Record<string, string>, body: unknown, res: express.Response): void {
		let match: RegExpMatchArray | null;
		if (path === '/' && method === 'POST') {
			onlyKeys(query, [], 'query');
			res.json(this.ask(clientRequest(body, true)));
		} else if (path === '/' && method === 'GET') {
			res.json(this.ask(clientRequest(query, false)));
		} else if (path === '/async' && method === 'POST') {
			onlyKeys(query, [], 'query');
			const answer = this.ask(clientRequest(body, true));
			this.later(this.options.asyncDelayMs, () => this.deliver([answer]));
			res.json({ questionId: answer.questionId });
		} else if (path === '/events' && method === 'GET') {
			this.poll(query, res);
		} else if ((match = path.match(/^\/client\/([^/]+)\/history$/)) && method === 'GET') {
			res.json(this.historyPage(this.knownClient(match[1]), query));
		} else if ((match = path.match(/^\/client\/([^/]+)\/state$/))) {
			const clientId = decodeURIComponent(match[1]);
			onlyKeys(query, [], 'query');
			if (method === 'POST') {
				if (!isObject(body)) throw new BadRequest('The state must be a JSON object');
				this.states.set(clientId, body);
				res.status(200).end();
			} else if (method === 'GET') res.json(this.states.get(clientId) ?? {});
			else throw new BadRequest(`${method} is not allowed here`, 405);
		} else if ((match = path.match(/^\/client\/([^/]+)\/message\/([^/]+)\/status$/))) {
			const [clientId, questionId] = [decodeURIComponent(match[1]), decodeURIComponent(match[2])];
			const known = this.knownStatus(clientId, questionId);
			if (method === 'GET') res.json({ questionId, status: known });
			else if (method === 'POST') {
				onlyKeys(body, ['status'], 'body');
				const status = statusOf(body, 'status');
				this.statuses.get(clientId)?.set(questionId, status);
				res.json({ questionId, status });
			} else throw new BadRequest(`${method} is not allowed here`, 405);
		} else if ((match = path.match(/^\/client\/([^/]+)\/message-statuses$/)) && method === 'POST') {
			const clientId = this.knownClient(match[1]);
			onlyKeys(body, ['statuses'], 'body');
			const list = (body as { statuses?: unknown }).statuses;
			if (!Array.isArray(list) || list.length === 0) throw new BadRequest('statuses must be a non-empty array');
			const updates = list.map((entry, index) => {
				onlyKeys(entry, ['questionId', 'status'], `statuses[${index}]`);
				const questionId = (entry as { questionId?: unknown }).questionId;
				if (typeof questionId !== 'string' || questionId === '') throw new BadRequest(`statuses[${index}].questionId is required`);
				this.knownStatus(clientId, questionId);
				return { questionId, status: statusOf(entry, `statuses[${index}].status`) };
			});
			for (const update of updates) this.statuses.get(clientId)?.set(update.questionId, update.status);
			res.json({ updated: updates.length });
		} else if ((match = path.match(/^\/client\/([^/]+)\/message-not-read-count$/)) && method === 'GET') {
			onlyKeys(query, [], 'query');
			const statuses = [...(this.statuses.get(this.knownClient(match[1]))?.values() ?? [])];
			res.json({ count: statuses.filter((status) => status !== 'READ').length });
		} else {
			throw new BadRequest(`No route ${method} ${path}`, 404);
		}
	}

	/** The scripted bot: answers a client request and records it (history, statuses, events). */
	private ask(request: ClientRequest): JaicpAnswer {
		const { clientId } = request;
		const said = request.query ?? request.event ?? '';
		let replies: Reply[];
		let newSessionStarted = false;
		let endSession = false;
		let switchNow = false;
		if (this.withOperator.has(clientId) && !/\b(bye|goodbye)\b/i.test(said)) {
			replies = []; // the operator has the chat: the bot stays silent
		} else if (said === '/start') {
			newSessionStarted = true;
			replies = [{ type: 'text', text: 'Hello! I am the demo bot. Ask for the menu, a carousel or an operator.', state: '/Start' }];
		} else if (/operator|agent|human/i.test(said)) {
			replies = [
				{ type: 'text', text: 'Connecting you to an operator…', state: '/Operator' },
				{ type: 'switch', firstMessage: said, closeChatPhrases: ['/close'], appendCloseChatButton: false, state: '/Operator' },
			];
			switchNow = true;
		} else if (/menu|buttons/i.test(said)) {
			replies = [
				{ type: 'text', text: 'What would you like?', state: '/Menu' },
				{ type: 'buttons', buttons: [{ text: 'Prices', transition: '/Prices' }, { text: 'Website', url: 'https://example.com' }] },
			];
		} else if (/carousel|catalog/i.test(said)) {
			replies = [
				{
					type: 'carousel',
					text: 'Our plans',
					content: [
						{ title: 'Basic', description: 'For one bot', image: 'https://cdn.example.com/basic.png', url: 'https://example.com/basic', btnText: 'Choose Basic' },
						{ title: 'Pro', description: 'For teams', image: 'https://cdn.example.com/pro.png', url: 'https://example.com/pro', btnText: 'Choose Pro' },
					],
				},
			];
		} else if (/image|photo/i.test(said)) {
			replies = [{ type: 'image', imageUrl: 'https://cdn.example.com/cat.png', text: 'A cat' }];
		} else if (/audio|voice/i.test(said)) {
			replies = [{ type: 'audio', audioUrl: 'https://cdn.example.com/hello.mp3' }];
		} else if (/\b(bye|goodbye)\b/i.test(said)) {
			replies = [{ type: 'text', text: 'Goodbye!', state: '/Bye' }, { type: 'hangup' }];
			endSession = true;
			this.withOperator.delete(clientId);
		} else if (request.event) {
			replies = [{ type: 'text', text: `Event ${request.event} received`, state: '/Event' }];
		} else {
			replies = [{ type: 'text', text: `You said: ${said}`, state: '/CatchAll' }];
		}
		const answer = this.answer(clientId, {
			replies,
			answer: replies.map((reply) => (typeof reply.text === 'string' ? reply.text : '')).filter(Boolean).join('\n'),
			newSessionStarted,
			endSession,
			nlpClass: replies.length > 0 ? String(replies[0].state ?? '/CatchAll') : undefined,
			confidence: replies.length > 0 ? 0.9 : undefined,
		});
		if (request.query !== undefined) answer.query = request.query;
		if (request.event !== undefined) answer.event = request.event;
		if (request.cid !== undefined) answer.cid = request.cid;
		this.record(answer, false);
		if (switchNow) {
			this.withOperator.add(clientId);
			const greeting = this.options.operatorGreeting;
			if (greeting) this.later(this.options.operatorDelayMs, () => this.operatorSays(clientId, greeting));
		}
		return answer;
	}

	private answer(clientId: string, data: Partial<JaicpAnswer['data']> & { replies: Reply[] }, time = this.nextTime()): JaicpAnswer {
		return {
			token: this.token,
			clientId,
			questionId: randomUUID(),
			data: { answer: '', newSessionStarted: false, debugData: [], endSession: false, ...data },
			timestamp: jaicpTimestamp(time),
			blockForm: false,
		};
	}

	private record(answer: JaicpAnswer, fromOperator: boolean, type = 'botResponse'): void {
		const time = Date.parse(`${answer.timestamp}Z`);
		const list = this.history.get(answer.clientId) ?? [];
		list.push(answer);
		this.history.set(answer.clientId, list);
		if (answer.data.replies.length > 0) {
			const statuses = this.statuses.get(answer.clientId) ?? new Map<string, string>();
			statuses.set(answer.questionId, 'SENT');
			this.statuses.set(answer.clientId, statuses);
		}
		this.events.push({ type, time, clientId: answer.clientId, cid: answer.cid, fromOperator, answer });
		for (const waiter of [...this.waiters]) waiter.check();
	}

	private nextTime(): number {
		this.lastTime = Math.max(Date.now(), this.lastTime + 1);
		return this.lastTime;
	}

	/** `/events`: answers at once when there are events after `ts`, else blocks until one comes or the wait ends. */
	private poll(query: Record<string, string>, res: express.Response): void {
		onlyKeys(query, ['clientId', 'ts', 'all', 'cid'], 'query');
		const clientId = query.clientId;
		if (!clientId) throw new BadRequest('clientId is required');
		if (query.ts !== undefined && !/^\d+$/.test(query.ts)) throw new BadRequest('ts must be epoch milliseconds');
		if (query.all !== undefined && !['true', 'false'].includes(query.all)) throw new BadRequest('all must be true or false');
		const all = query.all === 'true';
		const since = query.ts !== undefined ? Number(query.ts) : (this.lastPoll.get(clientId) ?? 0);

		const found = () =>
			this.events
				.filter(
					(event) =>
						(this.options.tsInclusive ? event.time >= since : event.time > since) &&
						event.clientId === clientId &&
						(all || event.fromOperator) &&
						(query.cid === undefined || event.cid === undefined || event.cid === query.cid),
				)
				.slice(0, MAX_EVENTS);
		const answer = (events: StoredEvent[]) => {
			this.lastPoll.set(clientId, events.length > 0 ? events[events.length - 1].time : this.nextTime());
			res.json({ events: events.map((event) => ({ type: event.type, event: event.answer })) });
		};

		const ready = found();
		if (ready.length > 0) {
			answer(ready);
			return;
		}
		const waiter: Waiter = {
			check: () => {
				const events = found();
				if (events.length === 0) return false;
				finish();
				answer(events);
				return true;
			},
		};
		const timer = setTimeout(() => {
			finish();
			answer([]);
		}, this.options.longPollMs);
		const finish = () => {
			clearTimeout(timer);
			this.waiters.delete(waiter);
			res.off('close', onClose);
		};
		const onClose = () => finish();
		res.on('close', onClose);
		this.waiters.add(waiter);
	}

	private historyPage(clientId: string, query: Record<string, string>) {
		onlyKeys(query, ['from', 'to', 'page', 'size'], 'query');
		for (const key of ['from', 'to', 'page', 'size']) {
			if (query[key] !== undefined && !/^\d+$/.test(query[key])) throw new BadRequest(`${key} must be a whole number`);
		}
		const page = Number(query.page ?? 0);
		const size = Number(query.size ?? 20);
		if (size < 1 || size > MAX_HISTORY_PAGE) throw new BadRequest(`size must be between 1 and ${MAX_HISTORY_PAGE}`);
		const from = query.from !== undefined ? Number(query.from) : -Infinity;
		const to = query.to !== undefined ? Number(query.to) : Infinity;
		const entries = this.historyOf(clientId).filter((entry) => {
			const time = Date.parse(`${entry.timestamp}Z`);
			return time >= from && time <= to;
		});
		const slice = this.options.historyIgnoresPaging ? entries : entries.slice(page * size, (page + 1) * size);
		const history = slice.map((entry) => {
			const copy: Partial<JaicpAnswer> = { ...entry };
			delete copy.token;
			return copy;
		});
		return this.options.historyIgnoresPaging ? { history } : { history, page, size, total: entries.length };
	}

	/** The decoded client ID of a client route; 404 for a client that never wrote (unless told otherwise). */
	private knownClient(encoded: string): string {
		const clientId = decodeURIComponent(encoded);
		if (this.options.unknownClients404 && !this.history.has(clientId)) throw new BadRequest(`Client ${clientId} not found`, 404);
		return clientId;
	}

	private knownStatus(clientId: string, questionId: string): string {
		const status = this.statuses.get(clientId)?.get(questionId);
		if (!status) throw new BadRequest(`Message ${questionId} of client ${clientId} not found`, 404);
		return status;
	}

	/** Posts a JSON array to the webhook; a failed delivery is retried three times, then extra copies are sent if asked. */
	private deliver(body: JaicpAnswer[]): void {
		const url = this.options.webhookUrl;
		if (!url) return;
		this.deliveriesInFlight++;
		const attempt = async (number: number): Promise<void> => {
			const status = await postJson(url, body);
			this.deliveries.push({ attempt: number, status, body });
			if ((status < 200 || status >= 300) && number < 4) {
				await this.pause(this.options.webhookRetryDelayMs);
				return await attempt(number + 1);
			}
		};
		void (async () => {
			try {
				await attempt(1);
				for (let copy = 0; copy < this.options.duplicateDeliveries; copy++) {
					const status = await postJson(url, body);
					this.deliveries.push({ attempt: 1 + copy + 1, status, body });
				}
			} finally {
				this.deliveriesInFlight--;
			}
		})();
	}

	private later(ms: number, run: () => void): void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			run();
		}, ms);
		this.timers.add(timer);
	}

	private async pause(ms: number): Promise<void> {
		await new Promise<void>((resolve) => this.later(ms, resolve));
	}
}

interface ClientRequest {
	clientId: string;
	query?: string;
	event?: string;
	cid?: string;
}

/** Checks a send request as JAICP does: a client ID, exactly one of query or event, an object `data`. */
function clientRequest(input: unknown, full: boolean): ClientRequest {
	onlyKeys(input, full ? ['clientId', 'query', 'event', 'data', 'cid'] : ['clientId', 'query', 'event'], full ? 'body' : 'query');
	const value = input as Record<string, unknown>;
	if (typeof value.clientId !== 'string' || value.clientId === '') throw new BadRequest('clientId is required');
	const hasQuery = typeof value.query === 'string' && value.query !== '';
	const hasEvent = typeof value.event === 'string' && value.event !== '';
	if (hasQuery === hasEvent) throw new BadRequest('Send exactly one of query and event');
	if (value.data !== undefined && !isObject(value.data)) throw new BadRequest('data must be a JSON object');
	if (value.cid !== undefined && typeof value.cid !== 'string') throw new BadRequest('cid must be a string');
	return {
		clientId: value.clientId,
		query: hasQuery ? (value.query as string) : undefined,
		event: hasEvent ? (value.event as string) : undefined,
		cid: value.cid as string | undefined,
	};
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(value: unknown, allowed: string[], where: string): void {
	if (!isObject(value)) throw new BadRequest(`The ${where} must be a JSON object`);
	const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
	if (unknown.length > 0) throw new BadRequest(`Unknown ${where} field(s): ${unknown.join(', ')}`);
}

function statusOf(value: unknown, where: string): string {
	const status = (value as { status?: unknown }).status;
	if (typeof status !== 'string' || !STATUSES.includes(status)) {
		throw new BadRequest(`${where} must be one of ${STATUSES.join(', ')}`);
	}
	return status;
}

/** POSTs JSON on a connection of its own (closed after), so no socket outlives the emulator. */
async function postJson(url: string, body: unknown): Promise<number> {
	const payload = Buffer.from(JSON.stringify(body));
	return await new Promise<number>((resolve) => {
		const request = http.request(
			url,
			{ method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': payload.length, connection: 'close' } },
			(response) => {
				response.resume();
				response.on('end', () => resolve(response.statusCode ?? 0));
			},
		);
		request.on('error', () => resolve(0));
		request.end(payload);
	});
}
