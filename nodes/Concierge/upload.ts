import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { apiRequest } from '../shared/http';
import type { ConciergeCredentials } from './connection';

export interface UploadUrlData {
	uploadURL: string;
	fileName?: string;
	uploadPath?: string;
	resourceUrl: string;
}

export interface FileToUpload {
	bytes: Buffer;
	fileName: string;
	mimeType: string;
	/** The `type` of the upload-URL request, e.g. `chat-images`. */
	folder: string;
}

/**
 * Puts a file where the chat can link to it: asks the REST server for a pre-signed upload URL,
 * PUTs the bytes there, and returns the public `resourceUrl` for send-message.
 */
export async function uploadFile(
	ctx: IExecuteFunctions,
	credentials: ConciergeCredentials,
	file: FileToUpload,
	itemIndex: number,
): Promise<UploadUrlData> {
	const serverUrl = (credentials.serverUrl ?? '').trim().replace(/\/+$/, '');
	if (serverUrl === '') {
		throw new NodeOperationError(ctx.getNode(), 'The Concierge API credential has no Server URL', {
			description: 'Sending a file from binary data needs the REST server that hands out upload URLs',
			itemIndex,
		});
	}
	const answer = await apiRequest<IDataObject>(ctx, {
		method: 'POST',
		url: `${serverUrl}/file-new/get-upload-url`,
		credentialType: 'conciergeApi',
		body: { filename: file.fileName, mimeType: file.mimeType, type: file.folder },
		secrets: [credentials.accessToken],
		itemIndex,
		skipSslCertificateValidation: credentials.ignoreSslIssues === true,
	});
	const data = readUploadUrlData(answer);
	if (!data) {
		throw new NodeOperationError(ctx.getNode(), 'The server answered without an upload URL', {
			description: `POST /file-new/get-upload-url returned no data.uploadUrlData.uploadURL and resourceUrl`,
			itemIndex,
		});
	}
	await apiRequest(ctx, {
		method: 'PUT',
		url: data.uploadURL,
		headers: { 'Content-Type': file.mimeType },
		binary: file.bytes,
		acceptText: true,
		secrets: [credentials.accessToken, ...signatureValues(data.uploadURL)],
		itemIndex,
		timeoutMs: 300_000,
		skipSslCertificateValidation: credentials.ignoreSslIssues === true,
	});
	return data;
}

function readUploadUrlData(answer: IDataObject | undefined): UploadUrlData | undefined {
	const data = (answer?.data as IDataObject | undefined)?.uploadUrlData as IDataObject | undefined;
	if (!data || typeof data.uploadURL !== 'string' || typeof data.resourceUrl !== 'string') return undefined;
	return data as unknown as UploadUrlData;
}

/** The pre-signed URL's query values (signature, credential, security token): never shown in errors. */
function signatureValues(url: string): string[] {
	try {
		return [...new URL(url).searchParams.values()].filter((value) => value.length >= 16);
	} catch {
		return [];
	}
}
