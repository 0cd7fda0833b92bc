import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Attachment } from '../protocol';
import { jsonParameter } from './params';

/** Socket.IO servers drop messages over 1 MB by default; base64 makes 700 kB of files about 930 kB. */
const MAX_INLINE_BYTES = 700 * 1024;

const URL_SCHEMES = /^(https?|file|data):/i;

const MIME_TYPES: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	gif: 'image/gif',
	webp: 'image/webp',
	svg: 'image/svg+xml',
	pdf: 'application/pdf',
	txt: 'text/plain',
	csv: 'text/csv',
	json: 'application/json',
	doc: 'application/msword',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
	ogg: 'audio/ogg',
	mp4: 'video/mp4',
	webm: 'video/webm',
};

/**
 * The Attachment objects of a message, from the three places a user can give them: the list of
 * URLs, a ChatEvent attachments list (JSON), and binary properties sent inline as data URLs.
 */
export async function attachmentsOf(ctx: IExecuteFunctions, fields: IDataObject, itemIndex: number): Promise<Attachment[]> {
	const fromList = (((fields.attachments as IDataObject | undefined)?.attachment ?? []) as IDataObject[]).map((entry) =>
		urlAttachment(ctx, entry, 'Attachments', itemIndex),
	);
	const json = jsonParameter(ctx, fields.attachmentsJson, 'Attachments (JSON)', itemIndex);
	if (json !== undefined && !Array.isArray(json)) {
		throw new NodeOperationError(ctx.getNode(), `Attachments (JSON) must be a list (item ${itemIndex})`, { itemIndex });
	}
	const fromJson = ((json ?? []) as unknown[]).map((entry) => {
		if (typeof entry !== 'object' || entry === null) {
			throw new NodeOperationError(ctx.getNode(), `Attachments (JSON) must hold objects with a url (item ${itemIndex})`, { itemIndex });
		}
		const record = entry as IDataObject;
		return urlAttachment(
			ctx,
			{ url: record.url ?? record.contentUrl, name: record.name, mimeType: record.mimeType ?? record.type, thumbnailUrl: record.thumbnailUrl },
			'Attachments (JSON)',
			itemIndex,
		);
	});
	const fromBinary = await binaryAttachments(ctx, String(fields.binaryProperties ?? ''), itemIndex);
	return [...fromList, ...fromJson, ...fromBinary];
}

function urlAttachment(ctx: IExecuteFunctions, entry: IDataObject, field: string, itemIndex: number): Attachment {
	const url = typeof entry.url === 'string' ? entry.url.trim() : '';
	if (!URL_SCHEMES.test(url)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${field}: "${url.slice(0, 80)}" is not an HTTP, HTTPS, file or data URL (item ${itemIndex})`,
			{ itemIndex },
		);
	}
	const name = (typeof entry.name === 'string' && entry.name.trim()) || fileNameOf(url);
	const attachment: Attachment = {
		type: (typeof entry.mimeType === 'string' && entry.mimeType.trim()) || mimeTypeOf(url, name),
		name,
		contentUrl: url,
	};
	if (typeof entry.thumbnailUrl === 'string' && entry.thumbnailUrl.trim()) attachment.thumbnailUrl = entry.thumbnailUrl.trim();
	return attachment;
}

async function binaryAttachments(ctx: IExecuteFunctions, names: string, itemIndex: number): Promise<Attachment[]> {
	const properties = names.split(',').map((name) => name.trim()).filter(Boolean);
	const attachments: Attachment[] = [];
	let total = 0;
	for (const property of properties) {
		const binary = ctx.helpers.assertBinaryData(itemIndex, property);
		const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
		total += buffer.length;
		if (total > MAX_INLINE_BYTES) {
			throw new NodeOperationError(
				ctx.getNode(),
				`The files in Binary Properties are ${Math.ceil(total / 1024)} kB together, over the ${MAX_INLINE_BYTES / 1024} kB a message can carry inline (item ${itemIndex})`,
				{ itemIndex, description: 'Upload the file elsewhere and send its URL under Attachments instead' },
			);
		}
		const mimeType = binary.mimeType || 'application/octet-stream';
		attachments.push({
			type: mimeType,
			name: binary.fileName ?? property,
			contentUrl: `data:${mimeType};base64,${buffer.toString('base64')}`,
		});
	}
	return attachments;
}

function fileNameOf(url: string): string {
	if (url.toLowerCase().startsWith('data:')) return 'attachment';
	const path = url.split(/[?#]/)[0];
	const last = decodeURIComponentSafe(path.slice(path.lastIndexOf('/') + 1));
	return last || 'attachment';
}

function mimeTypeOf(url: string, name: string): string {
	const data = /^data:([^;,]+)/i.exec(url);
	if (data) return data[1];
	const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
	return (extension && MIME_TYPES[extension]) || 'application/octet-stream';
}

function decodeURIComponentSafe(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}
