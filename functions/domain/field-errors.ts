import type { z } from 'zod';
import type { Language } from './language';

/** One bad field, as it goes into problem+json `errors[]`. */
export interface FieldError {
  path: string;
  message: string;
}

function pathOf(segments: readonly PropertyKey[]): string {
  return segments.map(String).join('.') || '(body)';
}

const TYPE_NAMES: Record<Language, Record<string, string>> = {
  'zh-CN': { string: '文本', number: '数字', object: '对象', array: '数组', boolean: '布尔值' },
  en: { string: 'a string', number: 'a number', object: 'an object', array: 'an array', boolean: 'true or false' },
};

/** Turns schema issues into one message per bad field, in the reader's language. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], language: Language): FieldError[] {
  const zh = language === 'zh-CN';
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const path = pathOf(issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          errors.push({
            path: pathOf([...issue.path, key]),
            message: zh ? '不接受此字段' : 'unknown field; remove it',
          });
        }
        break;
      case 'invalid_type': {
        const missing = !('input' in issue) || issue.input === undefined;
        const expected = TYPE_NAMES[language][issue.expected] ?? issue.expected;
        errors.push({
          path,
          message: missing ? (zh ? '必填' : 'is required') : zh ? `应为${expected}` : `must be ${expected}`,
        });
        break;
      }
      case 'too_small':
        errors.push({
          path,
          message:
            issue.origin === 'string'
              ? Number(issue.minimum) <= 1
                ? zh
                  ? '不能为空'
                  : 'must not be empty'
                : zh
                  ? `至少 ${issue.minimum} 个字符`
                  : `must be at least ${issue.minimum} characters`
              : issue.origin === 'array'
                ? zh
                  ? `至少 ${issue.minimum} 项`
                  : `must have at least ${issue.minimum} items`
                : zh
                  ? `不能小于 ${issue.minimum}`
                  : `must be at least ${issue.minimum}`,
        });
        break;
      case 'too_big':
        errors.push({
          path,
          message:
            issue.origin === 'string'
              ? zh
                ? `最多 ${issue.maximum} 个字符`
                : `must be at most ${issue.maximum} characters`
              : issue.origin === 'array'
                ? zh
                  ? `最多 ${issue.maximum} 项`
                  : `must have at most ${issue.maximum} items`
                : zh
                  ? `不能大于 ${issue.maximum}`
                  : `must be at most ${issue.maximum}`,
        });
        break;
      case 'invalid_format': {
        const format = issue.format;
        const message =
          format === 'email'
            ? zh
              ? '不是有效的电子邮件地址'
              : 'is not a valid email address'
            : format === 'url'
              ? zh
                ? '不是有效的 http(s) 链接'
                : 'is not a valid http(s) URL'
              : format === 'datetime'
                ? zh
                  ? '应为带时区的 ISO 8601 时间，例如 2026-11-20T21:05:00+08:00'
                  : 'must be an ISO 8601 date-time with offset, e.g. 2026-11-20T21:05:00+08:00'
                : zh
                  ? '格式不正确'
                  : 'has the wrong format';
        errors.push({ path, message });
        break;
      }
      case 'invalid_value': {
        const missing = !('input' in issue) || issue.input === undefined;
        const options = issue.values.map(String).join(zh ? '、' : ', ');
        errors.push({
          path,
          message: missing
            ? zh
              ? `必填，可选：${options}`
              : `is required; one of: ${options}`
            : zh
              ? `应为以下之一：${options}`
              : `must be one of: ${options}`,
        });
        break;
      }
      default:
        errors.push({ path, message: issue.message });
    }
  }
  return errors;
}
