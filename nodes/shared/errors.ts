import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * Errors that are already n8n node errors keep their type (and an API error its HTTP status);
 * anything else becomes a NodeOperationError for the item, with the error's message. (n8n still
 * replaces messages naming network codes such as ECONNREFUSED with its own wording.)
 */
export function asNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, message, { message, itemIndex });
}
