import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ChatAttachment, ChatButton, ChatRole } from '../shared/chat-event';
import { apiRequest } from '../shared/http';

/** What the bridge posts to the customer's front end (its reply URL): the front-end contract's answer side. */
export interface CustomerMessage {
	conversationId: string;
	from: Exclude<ChatRole, 'customer'>;
	name?: string;
	text: string;
	attachments?: ChatAttachment[];
	buttons?: ChatButton[];
	timestamp: string;
	messageId?: string;
}

/** Posts one message to the front end; a refusal is an error naming the chat. */
export async function deliverToCustomer(ctx: IExecuteFunctions, replyUrl: string, message: CustomerMessage, itemIndex: number): Promise<void> {
	const body: IDataObject = { ...message } as unknown as IDataObject;
	if (!message.attachments?.length) delete body.attachments;
	if (!message.buttons?.length) delete body.buttons;
	await apiRequest(ctx, { method: 'POST', url: replyUrl, body, itemIndex, timeoutMs: 15_000 });
}
