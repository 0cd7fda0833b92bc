import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';

import type { CustomerApp, CustomerInboxMessage } from '../customer-app';
import type { RoutingScene } from '../routing';
import { formatForCustomer, HELP } from './format';

interface Chat {
	id: string;
	scene: number;
}

const AGENT_VIEW_EVERY_MS = 1_000;

/**
 * The demo's terminal: the customer's side of chats in every scene (what n8n delivers to the customer
 * printed as it arrives), the agent's side through `/agent`, and the agent's screen of the current
 * chat printed as it fills. Output that arrives while the user types is printed above the prompt,
 * which is drawn again with what was typed so far.
 */
export class DemoConsole {
	private readonly chats: Chat[] = [];
	private current!: Chat;
	private readonly input: Interface;
	private readonly interactive = Boolean(process.stdin.isTTY);
	private readonly agentScreenShown = new Map<string, number>();
	private readonly agentWatch: NodeJS.Timeout;
	/** Lines are handled one after another, in the order typed (or piped). */
	private pending: Promise<void> = Promise.resolve();
	private lastPrompt = '';
	private stopped = false;

	constructor(
		private readonly scenes: RoutingScene[],
		private readonly customer: CustomerApp,
		private readonly webUrl: string,
		private readonly quit: () => void,
	) {
		this.input = createInterface({ input: process.stdin, output: process.stdout, terminal: this.interactive });
		this.openChat(0);
		customer.on('message', (message) => this.print(formatForCustomer(message, this.label(message.conversationId))));
		this.input.on('line', (line) => {
			this.pending = this.pending.then(async () => {
				await this.handle(line.trim());
				this.prompt();
			});
		});
		// Ctrl-D ends the console; without a terminal (stdin closed or piped), the demo runs until Ctrl-C.
		this.input.on('close', () => {
			if (this.interactive && !this.stopped) this.quit();
		});
		this.agentWatch = setInterval(() => void this.showAgentScreen(), AGENT_VIEW_EVERY_MS);
		this.prompt();
	}

	stop(): void {
		this.stopped = true;
		clearInterval(this.agentWatch);
		this.input.close();
	}

	/** Prints lines above the prompt, then draws the prompt again with what the user had typed. */
	print(lines: string[]): void {
		if (!this.interactive) {
			console.log(lines.join('\n'));
			return;
		}
		clearLine(process.stdout, 0);
		cursorTo(process.stdout, 0);
		console.log(lines.join('\n'));
		this.input.prompt(true);
	}

	private prompt(): void {
		if (this.scenes.length === 0) return;
		const text = `[scene ${this.current.scene + 1}, chat ${this.current.id}] you> `;
		if (this.interactive) {
			this.input.setPrompt(text);
			this.input.prompt(true);
		} else if (text !== this.lastPrompt) console.log(`${text.trimEnd()} (type as the customer, /help for commands)`);
		this.lastPrompt = text;
	}

	private async handle(text: string): Promise<void> {
		if (text === '') return;
		const [command, ...rest] = text.split(/\s+/);
		const argument = rest.join(' ');
		const say = (...lines: string[]) => this.print(lines.map((line) => `  ${line}`));
		switch (command) {
			case '/help':
				return this.print(HELP);
			case '/quit':
				return this.quit();
			case '/web':
				return say(`Web chat: ${this.webUrl}`);
			case '/new':
				return this.openChat(this.current.scene);
			case '/chats':
				return say(...this.chats.map((chat, index) => `${index + 1}. ${chat.id} in scene ${chat.scene + 1} (${this.scenes[chat.scene]?.title ?? '?'})${chat === this.current ? '  <- current' : ''}`));
			case '/chat': {
				const chat = this.chats[Number(argument) - 1];
				if (!chat) return say(`There are ${this.chats.length} chats: /chats lists them.`);
				this.current = chat;
				return say(...this.history(chat));
			}
			case '/scene': {
				const scene = Number(argument) - 1;
				if (!this.scenes[scene]) return say(`There are ${this.scenes.length} scenes.`);
				const latest = [...this.chats].reverse().find((chat) => chat.scene === scene);
				if (!latest) return this.openChat(scene);
				this.current = latest;
				return say(...this.history(latest));
			}
		}
		const scene = this.scenes[this.current.scene];
		if (!scene) return say('No routing scene is available.');
		const chat = this.current.id;
		try {
			if (command === '/agent') await scene.agentSays(chat, argument);
			else if (command === '/press') await this.press(scene, chat, Number(argument));
			else if (command.startsWith('/')) say(`Unknown command ${command}: /help lists the commands.`);
			else await scene.customerSays(chat, text);
		} catch (error) {
			say(`(not delivered: ${(error as Error).message})`);
		}
	}

	/** Clicks button `number` of the newest message in the chat that offered buttons. */
	private async press(scene: RoutingScene, chat: string, number: number): Promise<void> {
		const offered = [...this.customer.messagesIn(chat)].reverse().find((message) => (message.buttons ?? []).length > 0)?.buttons ?? [];
		const button = offered[number - 1];
		if (!button) throw new Error(`the last message with buttons offered ${offered.length}`);
		if (button.url) {
			this.print([`  (a link: ${button.url})`]);
			return;
		}
		await this.customer.withDetails({ button: { title: button.title, value: button.value } }, async () => await scene.customerSays(chat, button.title));
	}

	private openChat(scene: number): void {
		this.current = { id: `chat-${Math.random().toString(36).slice(2, 8)}`, scene };
		this.chats.push(this.current);
	}

	private label(conversationId: string): string {
		return conversationId === this.current.id ? conversationId : `${conversationId}, not the current chat`;
	}

	/** What the customer has seen so far in a chat, when going back to it. */
	private history(chat: Chat): string[] {
		const messages = this.customer.messagesIn(chat.id);
		if (messages.length === 0) return [`Back in ${chat.id}: nothing received yet.`];
		return [`Back in ${chat.id}; what the customer has seen so far:`, ...messages.flatMap((message: CustomerInboxMessage) => formatForCustomer(message, chat.id))];
	}

	private async showAgentScreen(): Promise<void> {
		const { id, scene } = this.current;
		const lines = await this.scenes[scene]?.agentView(id).catch(() => undefined);
		if (!lines) return;
		const shown = this.agentScreenShown.get(id) ?? 0;
		if (lines.length <= shown) return;
		this.agentScreenShown.set(id, lines.length);
		this.print(lines.slice(shown).map((line) => `  agent's screen (${id}): ${line.replace(/\n/g, '\n      ')}`));
	}
}
