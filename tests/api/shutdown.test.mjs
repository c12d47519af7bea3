// Stopping under load: SIGTERM while keep-alive clients stream audited reads. Audited reads park
// their connection until the audit group commit; the server must still stop cleanly (exit 0, no
// sanitizer report), answer or close every request, and leave an audit chain that holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, stopCleanly, signIn, freshDb, runCaremap, waitFor } from './lib/harness.mjs';

const WORKERS = 16;
const ROUNDS = 3;

test('SIGTERM during a stream of audited reads stops cleanly, every round', async () => {
    const db = await freshDb('shutdown');
    for (let round = 1; round <= ROUNDS; round++) {
        const server = await startServer({ db, name: `shutdown-${round}` });
        const ada = await signIn(server, 'coord.ada');
        const panel = await ada.get('/api/children?limit=1');
        assert.equal(panel.status, 200);
        const url = `${server.url}/api/children/${panel.json.items[0].id}`;
        const headers = { Authorization: `Bearer ${ada.token}` };
        let ok = 0;
        let stopped = false;
        const workers = Array.from({ length: WORKERS }, async () => {
            while (!stopped) {
                try {
                    const res = await fetch(url, { headers });
                    await res.arrayBuffer();
                    // While stopping, a request may be answered or refused, never half-answered.
                    assert.ok(res.status === 200, `status ${res.status}`);
                    ok++;
                } catch (e) {
                    if (e instanceof assert.AssertionError) throw e;
                    return; // the connection was closed or refused: the server is going away
                }
            }
        });
        await waitFor(() => ok >= 200, { what: `200 audited reads in round ${round}` });
        await stopCleanly(server);
        stopped = true;
        await Promise.all(workers);
        const verify = await runCaremap(['audit', 'verify', '--db', db]);
        assert.equal(verify.code, 0, `audit verify after round ${round}: ${verify.stdout}${verify.stderr}`);
        assert.match(verify.stdout, /audit chain holds/);
    }
});
