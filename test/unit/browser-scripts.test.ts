import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { GENERATED_FILE, generatedScriptsFile } from '../../functions/pages/browser/build';
import { COMPLAINT_FORM_SCRIPT } from '../../functions/pages/browser/scripts.generated';
import { complaintFormPage } from '../../functions/pages/complaint-form';
import { attributes, dataAttributes, inlineScript } from '../../functions/pages/layout';

describe('the pages’ browser scripts', () => {
  it('are checked in as built from functions/pages/browser', async () => {
    const built = await generatedScriptsFile();
    const checkedIn = readFileSync(GENERATED_FILE, 'utf8');
    expect(
      checkedIn === built,
      'functions/pages/browser/scripts.generated.ts is out of date: run npm run build:browser',
    ).toBe(true);
  });

  it('are inlined under the response’s nonce, and nothing that could end the element is', () => {
    expect(inlineScript('bm9uY2U=', 'go()').value).toBe('<script nonce="bm9uY2U=">go()</script>');
    expect(inlineScript('"><x', 'go()').value).toBe('<script nonce="&quot;&gt;&lt;x">go()</script>');
    expect(() => inlineScript('n', 'a="</script><b>"')).toThrow();
    expect(() => inlineScript('n', 'a="</SCRIPT >"')).toThrow();
    expect(() => inlineScript('n', 'a="<!--<script>"')).toThrow();
  });

  it('read what they need from attributes the page escapes', () => {
    expect(
      attributes({ id: 'f', hidden: true, disabled: false, title: undefined, 'data-x': `"><script>&'` }).value,
    ).toBe('id="f" hidden data-x="&quot;&gt;&lt;script&gt;&amp;&#39;"');
    expect(() => attributes({ 'onload="x" y': 'z' })).toThrow();
    expect(() => attributes({ '': 'z' })).toThrow();
    expect(dataAttributes({ api: 'https://a.example', uploadFailed: 'Upload failed: ' }).value).toBe(
      'data-api="https://a.example" data-upload-failed="Upload failed: "',
    );
    expect(() => dataAttributes({ 'x"': 'z' })).toThrow();

    const page = complaintFormPage({
      language: 'en',
      config: DEFAULT_DESK_CONFIG,
      scriptNonce: 'abc123',
      apiBaseUrl: 'https://api.example/"><script>alert(1)</script>',
    });
    expect(page).toContain('data-api="https://api.example/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page).toContain('data-upload-failed="Upload failed: "');
    expect(page).toContain(`<script nonce="abc123">${COMPLAINT_FORM_SCRIPT}</script>`);
    expect(page.match(/<script/g)).toHaveLength(1);
  });
});
