import {
	buildChatEvent,
	chatEventsToItems,
	fileNameFromUrl,
	flattenButtons,
	mapAttachments,
	toAttachment,
	toIsoTimestamp,
} from '../../nodes/shared/chat-event';

describe('toIsoTimestamp', () => {
	const fixedNow = () => new Date('2026-01-02T03:04:05.000Z');

	it.each([
		[1700000000000, '2023-11-14T22:13:20.000Z'],
		[1700000000, '2023-11-14T22:13:20.000Z'],
		['1700000000000', '2023-11-14T22:13:20.000Z'],
		['1700000000', '2023-11-14T22:13:20.000Z'],
		[1700000000.5, '2023-11-14T22:13:20.500Z'],
		['2024-05-06T07:08:09Z', '2024-05-06T07:08:09.000Z'],
		['2024-05-06T09:08:09+02:00', '2024-05-06T07:08:09.000Z'],
		[new Date('2020-01-01T00:00:00Z'), '2020-01-01T00:00:00.000Z'],
	])('normalizes %p', (input, expected) => {
		expect(toIsoTimestamp(input, fixedNow)).toBe(expected);
	});

	it.each([undefined, null, '', 'not a date', Number.NaN, {}])('falls back to now for %p', (input) => {
		expect(toIsoTimestamp(input, fixedNow)).toBe('2026-01-02T03:04:05.000Z');
	});
});

describe('attachments', () => {
	it('keeps only attachments with a URL and drops empty fields', () => {
		expect(toAttachment({ url: '' })).toBeUndefined();
		expect(toAttachment({ url: 'https://x/a.png', name: '', mimeType: 'image/png', size: '42' })).toEqual({
			url: 'https://x/a.png',
			mimeType: 'image/png',
			size: 42,
		});
		const mapped = mapAttachments(
			[{ data_url: 'https://x/1.pdf', file_name: 'one.pdf' }, { data_url: null, file_name: 'lost' }],
			(entry) => ({ url: entry.data_url, name: entry.file_name }),
		);
		expect(mapped).toEqual([{ url: 'https://x/1.pdf', name: 'one.pdf' }]);
	});
});

describe('fileNameFromUrl', () => {
	it('takes the decoded last path segment', () => {
		expect(fileNameFromUrl('https://cdn.example.com/files/a%20b.pdf?sig=1')).toBe('a b.pdf');
		expect(fileNameFromUrl('https://cdn.example.com/')).toBeUndefined();
		expect(fileNameFromUrl('not a url')).toBeUndefined();
		expect(fileNameFromUrl(null)).toBeUndefined();
	});
});

describe('flattenButtons', () => {
	it('flattens nested card groups and skips entries without a title', () => {
		const carousel = [
			[{ text: 'Buy', value: 'buy-1' }, { text: 'Site', link: 'https://shop' }],
			[{ text: '' }, { text: 'More', value: 7 }],
		];
		const buttons = flattenButtons<{ text: string; value?: unknown; link?: string }>(carousel, (entry) => ({
			title: entry.text,
			value: entry.value,
			url: entry.link,
		}));
		expect(buttons).toEqual([
			{ title: 'Buy', value: 'buy-1' },
			{ title: 'Site', url: 'https://shop' },
			{ title: 'More', value: '7' },
		]);
	});
});

describe('buildChatEvent', () => {
	it('builds the common shape with string ids and ISO time', () => {
		const raw = { id: 5, content: 'hi' };
		const event = buildChatEvent({
			provider: 'novatalks',
			type: 'message',
			conversationId: 27,
			messageId: 5,
			from: { role: 'agent', id: '3', name: undefined },
			text: 'hi',
			attachments: [toAttachment({ url: 'https://x/a' }), undefined],
			buttons: [],
			timestamp: 1700000000000,
			raw,
		});
		expect(event).toEqual({
			provider: 'novatalks',
			type: 'message',
			conversationId: '27',
			messageId: '5',
			from: { role: 'agent', id: '3' },
			text: 'hi',
			attachments: [{ url: 'https://x/a' }],
			timestamp: '2023-11-14T22:13:20.000Z',
			replyTo: { provider: 'novatalks', conversationId: '27' },
			raw,
		});
		expect(event.raw).toBe(raw);
	});

	it('gives every event a reply address: the provider, the conversation and what the provider adds', () => {
		const event = buildChatEvent({
			provider: 'expertflow',
			type: 'message',
			conversationId: 'conv-1',
			from: { role: 'agent' },
			replyTo: { participantId: 'p-9', participantName: '' },
			raw: {},
		});
		expect(event.replyTo).toEqual({ provider: 'expertflow', conversationId: 'conv-1', participantId: 'p-9' });
	});

	it('turns events into items, raw payload only when asked, with pairedItem', () => {
		const event = buildChatEvent({
			provider: 'jaicp',
			type: 'typing',
			conversationId: 'c',
			from: { role: 'bot' },
			timestamp: '2024-01-01T00:00:00Z',
			raw: { original: true },
		});
		expect(chatEventsToItems([event])[0].json).toMatchObject({ provider: 'jaicp', attachments: [] });
		expect(chatEventsToItems([event], { rawOutput: true, itemIndex: 2 })).toEqual([
			{ json: { original: true }, pairedItem: { item: 2 } },
		]);
	});
});
