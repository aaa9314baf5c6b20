import type { Language } from '../domain/language';

/** The name the desk's mail comes from, in the reader's language. */
export const SENDER_NAME: Record<Language, string> = {
  'zh-CN': 'Redress 投诉处理中心',
  en: 'Redress Complaints',
};

/** An RFC 2047 encoded word when the name is not plain ASCII (SES takes no raw UTF-8 in a From). */
function displayName(name: string): string {
  return /^[\x20-\x7e]*$/.test(name)
    ? `"${name.replace(/["\\]/g, '\\$&')}"`
    : `=?UTF-8?B?${Buffer.from(name, 'utf8').toString('base64')}?=`;
}

/** `Name <address>`: the name in the reader's language, or both when the mail is in both. */
export function senderAddress(address: string, language?: Language): string {
  const name = language ? SENDER_NAME[language] : `${SENDER_NAME['zh-CN']} / ${SENDER_NAME.en}`;
  return `${displayName(name)} <${address}>`;
}
