import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { apiRequestFull, type ApiResponse } from '../../shared/http';
import { ROUTES, type TranscriptType } from '../protocol';
import { conversationIdOf, requiredText, timeoutOf } from './params';
import type { ActionSession } from './session';

/**
 * GET /api/customer/transcript/{id}/{pdf|email}: the PDF becomes a binary output; for email the
 * server sends the transcript itself. Both exist only once the chat has ended (404 before).
 */
export async function getTranscript(ctx: IExecuteFunctions, session: ActionSession, itemIndex: number): Promise<INodeExecutionData> {
	const conversationId = conversationIdOf(ctx, itemIndex);
	const type = ctx.getNodeParameter('type', itemIndex) as TranscriptType;
	const { settings } = session;
	const path = ROUTES.transcript(conversationId, type);
	const { maxFileSizeMb } = ctx.getNodeParameter('options', itemIndex, {}) as { maxFileSizeMb?: number };
	let response: ApiResponse<Buffer | unknown>;
	try {
		response = await apiRequestFull(ctx, {
			method: 'GET',
			url: `${settings.restBaseUrl}${path}`,
			credentialType: 'expertflowApi',
			headers: type === 'pdf' ? { Accept: 'application/pdf' } : undefined,
			binaryResponse: type === 'pdf',
			acceptText: type === 'email',
			maxResponseBytes: type === 'pdf' ? (maxFileSizeMb ?? 64) * 1024 * 1024 : undefined,
			maxResponseHint: 'raise Max File Size (MB) in the options',
			secrets: settings.secrets,
			itemIndex,
			timeoutMs: timeoutOf(ctx, itemIndex),
			skipSslCertificateValidation: settings.skipSslCertificateValidation,
		});
	} catch (error) {
		throw stillActiveOr(ctx, error, conversationId, path, itemIndex);
	}
	if (type === 'email') {
		return { json: { conversationId, type, requested: true, statusCode: response.statusCode } };
	}
	const pdf = response.body as Buffer;
	if (!pdf.subarray(0, 5).equals(Buffer.from('%PDF-'))) {
		throw new NodeApiError(ctx.getNode(), { message: 'Not a PDF' }, {
			message: 'The server answered the PDF transcript request with something that is not a PDF',
			description: `GET ${path} answered with content type ${String(response.headers['content-type'] ?? 'unknown')}`,
			itemIndex,
		});
	}
	const options = ctx.getNodeParameter('options', itemIndex, {}) as { fileName?: string };
	const fileName = options.fileName?.trim() || `transcript-${conversationId}.pdf`;
	const property = requiredText(ctx, 'binaryPropertyName', 'Put Output File in Field', itemIndex);
	const binary = await ctx.helpers.prepareBinaryData(pdf, fileName, 'application/pdf');
	return {
		json: { conversationId, type, fileName, mimeType: 'application/pdf', fileSize: pdf.length },
		binary: { [property]: binary },
	};
}

/** A 404 here means the chat is still going on: say so instead of "not found". */
function stillActiveOr(ctx: IExecuteFunctions, error: unknown, conversationId: string, path: string, itemIndex: number): unknown {
	if (!(error instanceof NodeApiError) || error.httpCode !== '404') return error;
	return new NodeApiError(ctx.getNode(), { message: error.message, httpCode: '404' }, {
		message: `Conversation ${conversationId} is still active: its transcript is available only after the chat has ended [404]`,
		description: `GET ${path} answered 404, which the server sends while the chat is ongoing (or when the conversation ID is unknown)`,
		httpCode: '404',
		itemIndex,
	});
}
