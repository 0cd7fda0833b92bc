import type { INodeProperties } from 'n8n-workflow';

/** A list of {key, value, sanitize} entries (Ultimate's metaData and action results share this shape). */
export function keyValueCollection(options: {
	name: string;
	displayName: string;
	entryName: string;
	description?: string;
	keyDescription: string;
	valueDescription?: string;
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: `Add ${options.entryName}`,
		default: {},
		description: options.description,
		options: [
			{
				displayName: options.entryName,
				name: 'entries',
				values: [
					{ displayName: 'Key', name: 'key', type: 'string', default: '', description: options.keyDescription },
					{ displayName: 'Value', name: 'value', type: 'string', default: '', description: options.valueDescription },
					{
						displayName: 'Sanitize',
						name: 'sanitize',
						type: 'boolean',
						default: false,
						description: 'Whether the value is personal data (PII) that Ultimate must mask',
					},
				],
			},
		],
	};
}
