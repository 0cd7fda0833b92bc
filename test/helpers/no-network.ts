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
	// Each test file loads its own nock, which wraps http.ClientRequest again: unwrap this file's layer,
	// or the layers pile up in a jest worker and an aborted request no longer reaches its real socket.
	nock.restore();
});
