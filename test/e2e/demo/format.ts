import type { CustomerInboxMessage } from '../customer-app';

const CARDS_PER_ROW = 3;

/**
 * How the terminal shows a message n8n delivered to the customer: the sender and text; quick replies
 * numbered inline ([1 Yes] [2 No]); a message without text (a carousel) as a row of numbered cards;
 * attachments as links. The numbers are what `/press <n>` takes.
 */
export function formatForCustomer(message: CustomerInboxMessage, where: string): string[] {
	const sender = message.name ? `${message.from} ${message.name}` : message.from;
	const buttons = message.buttons ?? [];
	const attachments = (message.attachments ?? []).map((attachment) => `      ${attachment.mimeType?.startsWith('image/') ? 'image' : 'file'}: ${attachment.name ? `${attachment.name} ` : ''}<${attachment.url}>`);
	if (message.text.trim() === '' && buttons.length > 0) {
		return [`  ${sender} -> customer (${where}): ${buttons.length} card${buttons.length === 1 ? '' : 's'}`, ...cards(buttons.map(buttonLabel)), ...attachments];
	}
	const head = `  ${sender} -> customer (${where}): ${indentLines(message.text)}`;
	const replies = buttons.length > 0 ? [`      ${buttons.map((button, index) => `[${buttonLabel(button, index)}]`).join(' ')}`] : [];
	return [head, ...replies, ...attachments];
}

function buttonLabel(button: { title: string; url?: string }, index: number): string {
	return `${index + 1} ${button.title}${button.url ? ` -> ${button.url}` : ''}`;
}

/** Labels drawn as boxes, a few to a row. */
export function cards(labels: string[]): string[] {
	const lines: string[] = [];
	for (let start = 0; start < labels.length; start += CARDS_PER_ROW) {
		const row = labels.slice(start, start + CARDS_PER_ROW);
		const widths = row.map((label) => label.length + 2);
		lines.push(`      ${widths.map((width) => `╭${'─'.repeat(width)}╮`).join(' ')}`);
		lines.push(`      ${row.map((label) => `│ ${label} │`).join(' ')}`);
		lines.push(`      ${widths.map((width) => `╰${'─'.repeat(width)}╯`).join(' ')}`);
	}
	return lines;
}

function indentLines(text: string): string {
	return text.replace(/\n/g, '\n      ');
}

export const HELP = [
	'Type a line to write as the customer. Commands:',
	'  /agent <text>   answer as the human agent (once the chat was handed over)',
	'  /press <n>      click button or card n of the last message that offered some',
	'  /new            start a new customer chat in this scene',
	'  /chats          list the chats of this session',
	'  /chat <n>       go back to chat n of that list',
	'  /scene <n>      switch to scene n (its latest chat, or a new one)',
	'  /web            the address of the web chat page',
	'  /help           this list',
	'  /quit           stop everything (Ctrl-C does too)',
];
