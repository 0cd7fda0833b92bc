import { Credentials } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper } from 'n8n-workflow';

import type { PackageCredentialTypes } from './node-types';

/**
 * Gives nodes the credentials a test passes in, and signs requests with the credential type's own
 * `authenticate` block (generic header/query/body/auth entries with `{{$credentials…}}` expressions,
 * or a function), resolved by the workflow's expression engine as n8n does.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly credentialTypes: PackageCredentialTypes,
		private readonly credentials: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const options = requestOptions as IHttpRequestOptions;
		const authenticate = this.credentialTypes.getByName(typeName).authenticate;
		if (authenticate === undefined) return options;
		if (typeof authenticate === 'function') return await authenticate(credentials, options);
		if (!workflow || !node) throw new Error(`Cannot resolve ${typeName}'s authenticate block without a workflow`);

		const resolve = <T>(value: T): T => {
			if (typeof value !== 'string') return value;
			return workflow.expression.getParameterValue(
				value,
				null,
				0,
				0,
				node.name,
				[],
				'internal',
				{ $credentials: credentials },
			) as T;
		};
		const properties = authenticate.properties;
		for (const key of ['headers', 'qs', 'body'] as const) {
			const entries = properties[key];
			if (!entries) continue;
			const target = ((options[key] as IDataObject | undefined) ?? {}) as IDataObject;
			for (const [name, value] of Object.entries(entries)) target[name] = resolve(value);
			(options as unknown as Record<string, unknown>)[key] = target;
		}
		if (properties.auth) {
			options.auth = {
				username: String(resolve(properties.auth.username)),
				password: String(resolve(properties.auth.password)),
			};
		}
		return options;
	}

	async preAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails): Promise<Credentials> {
		return new Credentials({ id: nodeCredentials.id, name: nodeCredentials.name }, '', '');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const given = this.credentials[type];
		if (!given) throw new Error(`The test gave no credentials of type ${type}`);
		return { ...defaultsOf(this.credentialTypes.getByName(type).properties), ...given };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialTypes.getByName(type).properties;
	}
}

/** n8n fills credential fields the user left alone with their defaults. */
function defaultsOf(properties: INodeProperties[]): ICredentialDataDecryptedObject {
	const defaults: ICredentialDataDecryptedObject = {};
	for (const property of properties) {
		if (property.default !== undefined && property.type !== 'notice') {
			defaults[property.name] = property.default as ICredentialDataDecryptedObject[string];
		}
	}
	return defaults;
}
