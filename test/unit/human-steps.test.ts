import { describe, expect, it } from 'vitest';
import { ANALYTICS_STAGES } from '../../functions/domain/analytics-counts';
import { assigneeFor } from '../../functions/domain/assignment';
import { WAITING_ON } from '../../functions/domain/case-views';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { stepServiceSeconds } from '../../functions/domain/deadlines';
import { escalates } from '../../functions/domain/escalation';
import { complainantHistory, type ComplaintEvent } from '../../functions/domain/history';
import {
  COMPLAINT_STATUSES,
  HUMAN_STEPS,
  PAUSABLE_STEPS,
  STAFF_STATUS_LABELS,
  STATUS_LABELS,
  STEP_DEFINITIONS,
  type HumanStep,
} from '../../functions/domain/lifecycle';
import { STAFF_STEPS } from '../../functions/domain/queue';
import { parseStepDecision, STEP_DECISIONS } from '../../functions/domain/steps';
import { resumePointOf, stepAtResumePoint } from '../../functions/domain/workflow-contract';
import { DECISION_LABELS } from '../../functions/pages/labels';
import { escapeHtml } from '../../functions/pages/layout';
import { taskFormPage } from '../../functions/pages/task-pages';

/**
 * Every human step is one definition (lifecycle.ts STEP_DEFINITIONS); the places that must know a
 * step read it from there. This walks each definition and asks each of those places about it, so
 * a new step that is defined but not wired (a label in one language, a deadline with no service
 * level, a decision the form cannot post) fails here, named.
 */

const LANGUAGES = ['zh-CN', 'en'] as const;
const STAFF_ROLES = ['handler', 'supervisor'];
const STAFF_ASSIGNEES = ['team-handler', 'case-handler', 'reviewer'];
const bilingual = (text: unknown) =>
  LANGUAGES.every(
    (l) =>
      typeof (text as Record<string, unknown>)?.[l] === 'string' && (text as Record<string, string>)[l]!.trim() !== '',
  );

const team = { handlers: ['h1@example.com', 'h2@example.com'], supervisor: 's@example.com', manager: 'm@example.com' };
const facts = {
  team: team as unknown as Parameters<typeof assigneeFor>[1]['team'],
  complaintId: 'C1',
  handler: 'h2@example.com',
  complainantEmail: 'c@example.com',
  respondentEmail: 'r@example.com',
  deciders: [],
};
const complaint = {
  id: 'C1',
  number: 'TS-20261120-AAAAAA',
  status: 'received',
  language: 'en',
  category: DEFAULT_DESK_CONFIG.categories[0]!.id,
  subject: { name: 'A shop' },
  description: 'What happened',
  complainant: { name: 'N', email: 'c@example.com', language: 'en' },
  receivedAt: '2026-11-20T10:00:00.000Z',
  acceptanceDeadlineAt: '2026-11-21T10:00:00.000Z',
  reply: { reply: 'Our reply', grounds: 'The rules' },
} as unknown as Parameters<typeof taskFormPage>[0]['complaint'];

describe('every human step is defined once and known wherever it must be', () => {
  it('has one definition per step, each with a status of its own', () => {
    expect(Object.keys(STEP_DEFINITIONS)).toEqual([...HUMAN_STEPS]);
    const statuses = HUMAN_STEPS.map((step) => STEP_DEFINITIONS[step].status);
    expect(new Set(statuses).size).toBe(statuses.length);
  });

  it('calls a decision that two steps offer the same on both', () => {
    for (const step of HUMAN_STEPS)
      for (const [decision, label] of Object.entries(STEP_DEFINITIONS[step].decisions))
        expect(DECISION_LABELS[decision], `${step}:${decision}`).toEqual(label);
  });

  for (const step of HUMAN_STEPS) {
    const definition = STEP_DEFINITIONS[step];
    const staff = STAFF_ROLES.includes(definition.role);

    describe(`the ${step} step`, () => {
      it('is named in zh-CN and English, and so is its status for the complainant and for staff', () => {
        expect(bilingual(definition.label)).toBe(true);
        expect(COMPLAINT_STATUSES).toContain(definition.status);
        expect(bilingual(STATUS_LABELS[definition.status])).toBe(true);
        expect(bilingual(STAFF_STATUS_LABELS[definition.status])).toBe(true);
      });

      it('counts its deadline on a service level the desk config has', () => {
        const seconds = DEFAULT_DESK_CONFIG.serviceLevels[definition.deadline];
        expect(seconds).toBeGreaterThan(0);
        expect(stepServiceSeconds(step, DEFAULT_DESK_CONFIG.serviceLevels)).toBe(seconds);
      });

      it('goes to someone its role allows: staff steps to staff, who escalate; the others to their party', () => {
        expect(STAFF_ASSIGNEES.includes(definition.assignee)).toBe(staff);
        if (definition.assignee === 'complainant' || definition.assignee === 'respondent')
          expect(definition.role).toBe(definition.assignee);
        for (const awaiting of ['complainant', 'respondent'] as const) {
          const assignee = assigneeFor(step, { ...facts, awaiting });
          expect(
            staff ? [...team.handlers, team.supervisor, team.manager] : [facts.complainantEmail, facts.respondentEmail],
          ).toContain(assignee);
        }
        expect(escalates(step)).toBe(staff);
        expect(STAFF_STEPS.includes(step)).toBe(staff);
        if (staff) expect(ANALYTICS_STAGES as readonly HumanStep[]).toContain(step);
        if (definition.pausable) expect(staff).toBe(true);
        expect(PAUSABLE_STEPS.includes(step as never)).toBe(!!definition.pausable);
        for (const party of ['complainant', 'respondent'] as const)
          expect(WAITING_ON[party].includes(definition.status)).toBe(definition.assignee === party);
      });

      it('offers decisions that are labelled in both languages and that its parser takes', () => {
        expect(STEP_DECISIONS[step].length).toBeGreaterThan(0);
        if (definition.defaultDecision) expect(STEP_DECISIONS[step]).toContain(definition.defaultDecision);
        for (const decision of STEP_DECISIONS[step]) {
          expect(bilingual(DECISION_LABELS[decision]), `${decision} label`).toBe(true);
          const parsed = parseStepDecision(step, { decision }, 'en');
          // Refused at most for the decision's own fields, never for the decision itself.
          if (!parsed.ok) expect(parsed.errors.map((e) => e.path)).not.toContain('decision');
        }
        expect(parseStepDecision(step, { decision: 'not-a-decision' }, 'en')).toMatchObject({
          ok: false,
          errors: [{ path: 'decision' }],
        });
      });

      it('says in both languages what happened in the complainant’s history when it is handed on', () => {
        const line = definition.assignedLine;
        if (typeof line === 'object') expect(bilingual(line)).toBe(true);
        const event = {
          at: complaint.receivedAt,
          actor: 'system',
          action: 'task.assigned',
          details: { step, level: 0 },
        } as ComplaintEvent;
        for (const language of LANGUAGES)
          expect(complainantHistory([event], language).length).toBe(line === 'nothing' ? 0 : 1);
      });

      it('has a task page in both languages with its name, its button and a way to post each decision it offers', () => {
        expect(bilingual(definition.page.submit)).toBe(true);
        if (definition.page.heading) expect(bilingual(definition.page.heading)).toBe(true);
        for (const language of LANGUAGES) {
          const page = taskFormPage({
            step,
            role: definition.role,
            level: 0,
            complaint,
            events: [],
            language,
            config: DEFAULT_DESK_CONFIG,
            nonce: 'N',
            deadlineAt: '2026-11-22T10:00:00.000Z',
            question: 'The question?',
          });
          expect(page).toContain(escapeHtml(definition.label[language]));
          expect(page).toContain(`<button type="submit">${escapeHtml(definition.page.submit[language])}</button>`);
          // A decision the form does not post is the one taken when `decision` is left out.
          for (const decision of STEP_DECISIONS[step])
            if (!page.includes(`value="${decision}"`)) expect(decision).toBe(definition.defaultDecision);
          if (definition.page.above === 'question') expect(page).toContain('The question?');
          if (definition.page.above === 'reply') expect(page).toContain('Our reply');
        }
      });

      it('is a resume point of the workflow', () => {
        expect(stepAtResumePoint(resumePointOf(step))).toBe(step);
      });
    });
  }
});
