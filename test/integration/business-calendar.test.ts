import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG, parseDeskConfig } from '../../functions/domain/config';
import { acceptanceDeadline, provisionalYears } from '../../functions/domain/deadlines';
import { serviceLevelsFor } from '../../functions/domain/desk';
import { ownStack } from '../support/own-stack';
import { CaseDriver, complaintBody, fileComplaint, moveClock, SUBJECTS, WAIT_MS } from '../support/stack-client';
import { complaintRecord, eventsOf } from '../support/table';

/**
 * A desk that counts its clocks in China's working week (cn-workday): the deadline the case
 * carries, the task link's due time and the workflow's wait are the domain's computation.
 */
const desk = parseDeskConfig({ ...DEFAULT_DESK_CONFIG, calendar: 'cn-workday' });
const configDir = mkdtempSync(path.join(os.tmpdir(), 'redress-calendar-'));
const configFile = path.join(configDir, 'redress.config.json');
writeFileSync(
  configFile,
  JSON.stringify({ mailFrom: 'complaints@redress.test', desk: { ...DEFAULT_DESK_CONFIG, calendar: 'cn-workday' } }),
);
ownStack({ REDRESS_CONFIG_FILE: configFile });
afterAll(() => rmSync(configDir, { recursive: true, force: true }));

async function fileAndOpen() {
  const body = complaintBody(1);
  const { response, json } = await fileComplaint(body);
  expect(response.status).toBe(201);
  let record: Record<string, any> | undefined;
  await expect
    .poll(async () => (record = await complaintRecord(json.id))?.deadlineAt, { timeout: WAIT_MS, interval: 200 })
    .toBeDefined();
  const levels = serviceLevelsFor(desk, record!.category, record!.priority);
  return {
    id: json.id as string,
    number: json.number as string,
    record: record!,
    levels,
    driver: new CaseDriver(json.number, json.trackingUrl, body.complainant.email),
  };
}

describe('a desk with a business calendar', () => {
  it('gives the acceptance task the deadline the domain computes in working hours', async () => {
    const { record, levels } = await fileAndOpen();
    expect(levels.calendar?.name).toBe('cn-workday');
    const expected = acceptanceDeadline(new Date(record.receivedAt), levels, 1).toISOString();
    expect(record.acceptanceDeadlineAt).toBe(expected);
    expect(record.deadlineAt).toBe(expected);
    // 24 working hours are never less than 24 calendar hours.
    expect(new Date(expected).getTime() - new Date(record.receivedAt).getTime()).toBeGreaterThan(24 * 3600 * 1000);
  });

  it('marks a deadline that runs into a year without holiday data provisional, in the record, the history and the task page', async () => {
    // Move to 30 December 09:00 Shanghai time of this year (or of the next, once past it): 24
    // working hours then end in the new year, whose holidays are not published yet.
    const now = await moveClock(1);
    const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now));
    let target = new Date(`${year}-12-30T09:00:00+08:00`);
    if (target <= now) target = new Date(`${year + 1}-12-30T09:00:00+08:00`);
    await moveClock(Math.ceil((target.getTime() - now.getTime()) / 1000));

    const { id, record, levels, driver } = await fileAndOpen();
    const expected = acceptanceDeadline(new Date(record.receivedAt), levels, 1);
    expect(record.deadlineAt).toBe(expected.toISOString());
    const years = provisionalYears(expected, new Date(record.receivedAt), levels, 1);
    expect(years.length).toBeGreaterThan(0);
    expect(record.deadlineProvisional).toEqual(years);

    const task = await driver.taskLink(SUBJECTS.acceptance);
    await expect
      .poll(
        async () => (await eventsOf(id)).find((e: any) => e.action === 'task.assigned')?.details?.deadlineProvisional,
        { timeout: WAIT_MS },
      )
      .toEqual(years);
    const page = await (await fetch(task.url)).text();
    expect(page).toMatch(
      new RegExp(`暂定：缺少 ${years.join('、')} 年节假日数据|provisional: no holiday data for ${years.join(', ')}`),
    );
  });
});
