import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Bilingual } from './language';

export type PhoneCheck = { ok: true; e164: string } | { ok: false; why: 'invalid' | 'not-mobile'; message: Bilingual };

/**
 * A mobile number as the desk keeps it: E.164 (`+8613800138000`). A number without a country
 * code is read as one of `defaultCountry` (the desk's). Texts go only to mobiles, so a valid
 * fixed line is refused as well as what is no number at all; a number the numbering plan cannot
 * tell apart (fixed line or mobile, as in the US) is taken.
 */
export function normaliseMobile(input: string, defaultCountry: string): PhoneCheck {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry as CountryCode);
  if (!parsed?.isValid())
    return {
      ok: false,
      why: 'invalid',
      message: {
        'zh-CN': '不是有效的手机号码（国外号码请加国家代码，如 +44 7700 900123）',
        en: 'is not a valid mobile number (a number abroad starts with its country code, e.g. +44 7700 900123)',
      },
    };
  const type = parsed.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE')
    return {
      ok: false,
      why: 'not-mobile',
      message: {
        'zh-CN': '不是手机号码：短信只能发送到手机',
        en: 'is not a mobile number: texts reach mobiles only',
      },
    };
  return { ok: true, e164: parsed.number };
}
