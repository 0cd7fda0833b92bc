// No test ever reaches the network: HTTP goes through nock interceptors, and only the local
// emulators on 127.0.0.1 are reachable.
import nock from 'nock';

beforeAll(() => {
	nock.disableNetConnect();
	nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});

afterAll(() => {
	nock.cleanAll();
	nock.enableNetConnect();
});
