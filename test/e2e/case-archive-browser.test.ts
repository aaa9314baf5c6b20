import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser';
import { CaseDriver } from '../support/stack-client';

/**
 * The tracking page's download links in a real browser: the route answers 303 to the stored ZIP's
 * short-lived link (the archive may be larger than a function's response may be), and the browser
 * saves it under its name.
 */
describe('case archives in a browser', () => {
  const browser = useBrowser();

  it('the complainant’s “copy of my data” link downloads the ZIP under its name', async () => {
    const c = await CaseDriver.file(1, { complainant: { language: 'en' } });
    const page = await browser().newPage({ locale: 'en', acceptDownloads: true });
    await page.goto(`${c.trackingUrl}&lang=en`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'A copy of my data (ZIP)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${c.number}-export.zip`);
    expect(new URL(download.url()).pathname).toMatch(/\/exports\/[^/]+\/[0-9a-f]{24}\/[^/]+-export\.zip$/);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const files = unzipSync(new Uint8Array(Buffer.concat(chunks)));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['manifest.json', 'case.json', 'case.html']));
    await page.close();
  });
});
