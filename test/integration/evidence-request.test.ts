import { describe, expect, it } from 'vitest';
import { grantUpload, pngImage, postToS3, tokenOf } from '../support/evidence';
import { endFaults } from '../support/faults';
import { ownStack } from '../support/own-stack';
import {
  complaintBody,
  emailsTo,
  fileComplaint,
  moveClock,
  NEEDS_SCREENSHOT,
  SUBJECTS,
  track,
  WAIT_MS,
  waitForStatus,
} from '../support/stack-client';
import { complaintRecord, eventsOf } from '../support/table';

/**
 * A complaint whose category needs evidence, filed on the web form with a screenshot attached:
 * the form uploads it right after the filing, while the workflow acknowledges the complaint and
 * opens its first step. Once the screenshot is recorded, nobody may ask for evidence, whichever
 * comes first. The orders are forced with this stack's faults (REDRESS_FAULT), which the tests end
 * when their story needs: until the first test ends `start-execution-failing`, no workflow starts
 * (the reconciler starts it afterwards); until the second ends `task-opening-failing`, no human
 * task opens (its Retry, shortened by REDRESS_RETRY_INTERVAL_MS, gives up and the workflow waits
 * five minutes, which the test moves the clock past), so a case waits on its evidence step with no
 * request sent. Each test first checks that its order did happen.
 */
ownStack({
  REDRESS_FAULT: 'start-execution-failing:3600,task-opening-failing:3600',
  REDRESS_RETRY_INTERVAL_MS: '10',
  REDRESS_RECONCILE_EVERY_MS: '500',
  REDRESS_RECONCILE_GRACE_MS: '1000',
});

/** The workflow's wait before it tries a failed step again. */
const RETRY_WAIT_SECONDS = 300;
const ASKED = '请您上传证据';
const UPLOADED = '证据已上传';
const DECIDED = '已作出处理决定';

async function file() {
  const body = complaintBody(0, NEEDS_SCREENSHOT);
  const { response, json } = await fileComplaint(body);
  expect(response.status).toBe(201);
  return { id: json.id as string, trackingUrl: json.trackingUrl as string, email: body.complainant.email as string };
}

async function uploadScreenshot(c: { id: string; trackingUrl: string }) {
  const png = pngImage();
  const grant = await grantUpload(c.id, tokenOf(c.trackingUrl), {
    fileName: 'shot.png',
    contentType: 'image/png',
    size: png.length,
  });
  expect((await postToS3(grant, png, 'image/png')).status).toBeLessThan(300);
}

async function recorded(id: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    if ((await eventsOf(id)).some((e) => e.action === 'evidence.added')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no evidence recorded on ${id}`);
}

const labels = async (trackingUrl: string) =>
  ((await track(trackingUrl)).json.history as { label: string }[]).map((h) => h.label);
const requestsTo = async (email: string) => (await emailsTo(email)).filter((e) => SUBJECTS.evidence.test(e.subject));

describe('a content complaint filed with its screenshot', () => {
  it('uploaded before its workflow runs: goes to the acceptance review, and nobody asks for evidence', async () => {
    const c = await file();
    await uploadScreenshot(c);
    await recorded(c.id);
    // The order this test is about: the workflow had not started when the evidence was recorded.
    expect((await complaintRecord(c.id))?.workflowPending, 'the workflow has not started yet').toBeTruthy();

    await endFaults('start-execution-failing');
    await waitForStatus(c.trackingUrl, (t) => t.status === 'acceptance-review');
    expect(await labels(c.trackingUrl)).not.toContain(ASKED);
    expect(await requestsTo(c.email)).toEqual([]);
  });

  it('uploaded after its evidence step opened but before the request went out: no request goes out, and the upload ends the step', async () => {
    // Filed once workflows start again: acknowledged at once, its evidence task cannot open yet.
    const c = await file();
    await waitForStatus(c.trackingUrl, (t) => t.status === 'awaiting-evidence');
    await uploadScreenshot(c);
    await recorded(c.id);
    // The order this test is about: the step is open, its request not sent.
    expect((await track(c.trackingUrl)).json.status, 'still on the evidence step').toBe('awaiting-evidence');
    expect(await labels(c.trackingUrl)).not.toContain(ASKED);

    // Once the task may open (after the workflow's wait), the workflow finds the evidence there and moves on.
    await endFaults('task-opening-failing');
    await moveClock(RETRY_WAIT_SECONDS + 1);
    await waitForStatus(c.trackingUrl, (t) => t.status === 'acceptance-review');
    const history = await labels(c.trackingUrl);
    expect(history).not.toContain(ASKED);
    expect(history.slice(history.indexOf(UPLOADED))).toContain('已作出处理决定');
    expect(await requestsTo(c.email)).toEqual([]);
  });

  it('uploaded at once, as the web form does: no request follows the upload', async () => {
    const cases = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const c = await file();
        await uploadScreenshot(c);
        return c;
      }),
    );
    for (const c of cases) {
      await waitForStatus(c.trackingUrl, (t) => t.status === 'acceptance-review');
      const history = await labels(c.trackingUrl);
      // Racing as they do here, the request's write may land just before the upload's while the
      // upload's event carries the earlier time (taken before its write): the history may then
      // list the request after the upload. What must hold is what the complainant gets: the
      // evidence decides the open request at once, and a request goes out only if it was written
      // before the upload was recorded (the outbox withdraws one not yet sent once it is).
      if (history.slice(history.indexOf(UPLOADED)).includes(ASKED))
        expect(history.slice(history.lastIndexOf(ASKED)), JSON.stringify(history)).toContain(DECIDED);
      expect((await requestsTo(c.email)).length, JSON.stringify(history)).toBeLessThanOrEqual(
        history.filter((h) => h === ASKED).length,
      );
    }
  });
});
