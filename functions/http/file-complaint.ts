import middy from '@middy/core';
import { newComplaintRecord, validateComplaintIntake, type ComplaintRecord } from '../domain/complaint';
import { newComplaintId, newComplaintNumber } from '../domain/ids';
import { ComplaintNumberTakenError, insertComplaint, workflowPendingShard } from '../lib/complaint-store';
import { json, jsonBody, problemDetails, requestLanguage, ValidationError, type HttpEvent, type HttpResult } from '../lib/http';
import { newTrackingSalt, trackingUrl } from '../lib/links';
import { log } from '../lib/log';
import { settings } from '../lib/settings';
import { startComplaintWorkflow } from '../lib/workflow';

const NUMBER_ATTEMPTS = 5;

/** POST /complaints: validate, store (all or nothing), start the workflow, answer 201. */
async function fileComplaint(event: HttpEvent): Promise<HttpResult> {
  const { desk, clockScale } = settings();
  const body = jsonBody(event);
  const result = validateComplaintIntake(body, desk, requestLanguage(event));
  if (!result.ok) throw new ValidationError(result.errors);

  const now = new Date();
  const id = newComplaintId(now);
  let record: ComplaintRecord | undefined;
  for (let attempt = 1; !record; attempt++) {
    const candidate = newComplaintRecord({
      intake: result.intake,
      language: result.language,
      id,
      number: newComplaintNumber(now, desk.timeZone),
      trackingSalt: newTrackingSalt(),
      workflowPendingShard: workflowPendingShard(id),
      now,
      config: desk,
      clockScale,
    });
    try {
      await insertComplaint(candidate, { at: candidate.receivedAt, actor: 'complainant', action: 'complaint.received', details: { channel: candidate.channel, category: candidate.category } });
      record = candidate;
    } catch (error) {
      // 32^6 numbers a day: a collision is rare, and a fresh draw settles it.
      if (!(error instanceof ComplaintNumberTakenError) || attempt >= NUMBER_ATTEMPTS) throw error;
    }
  }

  try {
    await startComplaintWorkflow(record);
  } catch (error) {
    // The record is stored with its pending marker; start-pending-workflows starts it shortly.
    log.warn('workflow start deferred to the reconciler', { complaintId: record.id, error });
  }

  const url = await trackingUrl(record.id, record.trackingSalt);
  log.info('complaint filed', { complaintId: record.id, category: record.category, channel: record.channel });
  return json(201, { id: record.id, number: record.number, status: record.status, trackingUrl: url }, { location: `/complaints/${record.id}` });
}

export const handler = middy<HttpEvent, HttpResult>().use(problemDetails()).handler(fileComplaint);
