import { SEND_DEADLINE_MS } from '../../src/core/send';
import { ENTRIES, runEntry } from '../helpers/entries';
import { startFakeTwilio, twilioFor } from '../helpers/fake-twilio';
import { SECRETS } from '../helpers/mock-twilio';

/** Auth0 ends a trigger after 20 s; an answer after that is never seen. */
const AUTH0_LIMIT_MS = 20_000;

// One real-socket smoke test per entry, in real time: the deadline holds over real sockets when
// Twilio never answers. The deadline logic itself is checked under fake timers elsewhere.
it('every entry answers at its deadline, far under Auth0 limit, when Twilio never answers', async () => {
  const fake = await startFakeTwilio();
  try {
    fake.failAlways({ kind: 'hang' });
    const outcomes = await Promise.all(
      ENTRIES.map(async (entry) => {
        const started = Date.now();
        const outcome = await runEntry(entry, twilioFor('twilio-v6', fake), { secrets: { ...SECRETS } });
        return { entry, outcome, elapsed: Date.now() - started };
      }),
    );
    for (const { entry, outcome, elapsed } of outcomes) {
      expect({ entry, delivered: outcome.delivered, transient: outcome.transient }).toEqual({ entry, delivered: false, transient: true });
      expect(outcome.message).toMatch(new RegExp(`^Twilio did not answer within (${SEND_DEADLINE_MS}|4000) ms`));
      expect(elapsed).toBeGreaterThanOrEqual(SEND_DEADLINE_MS - 1_100);
      expect(elapsed).toBeLessThan(AUTH0_LIMIT_MS);
      expect(outcome.logs).toHaveLength(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.heldConnections()).toBe(0);
  } finally {
    await fake.stop();
  }
}, 30_000);
