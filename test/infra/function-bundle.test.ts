import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG, parseDeskConfig } from '../../functions/domain/config';
import { BUNDLE_FILE, compactServiceErrors, functionBuildOptions } from '../../infra/constructs/function-bundle';
import { REPO_ROOT } from '../../infra/deploy-config';

/** A desk of 20 KB and more: ten teams of fifty handlers, and a category of its own to look for. */
function largeDesk() {
  const handlers = Array.from(
    { length: 50 },
    (_, i) => `handler.number.${String(i).padStart(2, '0')}@complaints.example.org`,
  );
  const teams = Object.fromEntries(
    Array.from({ length: 10 }, (_, i) => [
      `region-${i}`,
      { handlers, supervisor: `region-${i}.supervisor@example.org`, manager: 'desk.manager@example.org' },
    ]),
  );
  return parseDeskConfig({
    ...DEFAULT_DESK_CONFIG,
    teams: { ...DEFAULT_DESK_CONFIG.teams, ...teams },
    categories: [
      ...DEFAULT_DESK_CONFIG.categories,
      { id: 'ferry-timetable', name: { 'zh-CN': '渡轮时刻表', en: 'Ferry timetable' }, team: 'region-9' },
    ],
  });
}

/** Runs a bundled handler in a fresh Node process with only these variables, as Lambda would: its result and its logs. */
function invokeBundle(file: string, event: unknown, env: Record<string, string>): { result: any; logs: string } {
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(JSON.stringify(await handler(${JSON.stringify(event)}, { awsRequestId: 'test', getRemainingTimeInMillis: () => 10000 })));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', REDRESS_LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
  });
  const lines = run.stdout.trim().split('\n');
  return { result: JSON.parse(lines.pop()!), logs: lines.join('\n') + run.stderr };
}

/** A built module, imported into the test (its exports as the test reads them). */
const loadModule = (file: string) => import(pathToFileURL(file).href) as Promise<Record<string, any>>;

describe('function bundles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-bundle-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('carry the desk config compiled in: the form page lists a 20 KB desk’s categories with no REDRESS_CONFIG and no table', async () => {
    const desk = largeDesk();
    expect(Buffer.byteLength(JSON.stringify(desk))).toBeGreaterThan(20_000);
    await build(functionBuildOptions('http/form-page', join(dir, 'form'), desk));
    const file = join(dir, 'form', BUNDLE_FILE);
    const { result } = invokeBundle(
      file,
      { httpMethod: 'GET', path: '/', headers: { 'accept-language': 'en' }, queryStringParameters: null },
      {
        PUBLIC_BASE_URL: 'https://complaints.example.org',
        EVIDENCE_BUCKET: 'redress-evidence-1a2b3c',
        AWS_REGION: 'eu-west-1',
      },
    );
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('Ferry timetable');
    expect(result.headers['content-security-policy']).toContain(
      'https://redress-evidence-1a2b3c.s3.eu-west-1.amazonaws.com',
    );
    // No schema library and no AWS client in a page that only shows a form.
    const code = readFileSync(file, 'utf8');
    expect(code).not.toMatch(/ZodError|\$ZodType/);
    expect(code).not.toMatch(/S3Client|DynamoDBClient/);
  });

  it('leave out the SDK code a Lambda function never runs, and carry only the S3 operations the function calls', async () => {
    const outdir = join(dir, 'evidence-upload');
    const { metafile } = await build({
      ...functionBuildOptions('http/request-evidence-upload', outdir, DEFAULT_DESK_CONFIG),
      metafile: true,
    });
    // What reached the bundle (esbuild also lists the modules it parsed and then left out).
    const inputs = Object.entries(Object.values(metafile!.outputs).find((output) => output.entryPoint)!.inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([input]) => input);
    const bundled = (pattern: RegExp) => inputs.filter((input) => pattern.test(input));
    // Each stand-in in functions/lib/clients/ replaced what it says it replaces…
    for (const standIn of [
      'lambda-credentials',
      'no-event-streams',
      'lru-cache',
      'no-config-files',
      'no-instance-metadata',
      'native-hashes-only',
      'no-adaptive-retry',
      'no-event-signing',
      'service-errors',
    ])
      expect(inputs, standIn).toContain(`functions/lib/clients/${standIn}.ts`);
    // …so none of this is in the bundle: the credential chain, the event-stream codec and header writer, the adaptive retry's rate limiter, mnemonist, the INI parser, a second S3 client.
    expect(bundled(/credential-provider-(node|ini|sso|process|web-identity)|nested-clients/)).toEqual([]);
    expect(
      bundled(
        /@smithy\/core\/.*\/event-streams\/|signature-v4\/dist-es\/HeaderFormatter\.js|util-retry\/(AdaptiveRetryStrategy|DefaultRateLimiter)\.js/,
      ),
    ).toEqual([]);
    expect(bundled(/node_modules\/(mnemonist|obliterator)\//)).toEqual([]);
    expect(bundled(/shared-ini-file-loader\/(parseIni|readFile|getHomeDir)\.js/)).toEqual([]);
    expect(bundled(/s3-presigned-post\/node_modules\//)).toEqual([]);
    // The S3 schemas of the operations it calls (PutObject's, for the presigned POST), not of the other hundred.
    const code = readFileSync(join(outdir, BUNDLE_FILE), 'utf8');
    expect(code).toContain('"PutObjectRequest"');
    expect(code).not.toMatch(/PutBucketLifecycleConfiguration|SelectObjectContent|ListBuckets/);
    // A client's package.json is down to its version; the partitions' table has no region descriptions.
    expect(metafile!.inputs['node_modules/@aws-sdk/client-s3/package.json']!.bytes).toBeLessThan(40);
    expect(code).toContain('"ap-northeast-1"');
    expect(code).not.toContain('Asia Pacific (Tokyo)');
  });

  it('make each client’s exceptions with one function, and each behaves as the generated class does', async () => {
    const clients = { dynamodb: 'DynamoDB', s3: 'S3', ses: 'SES', sfn: 'SFN', 'secrets-manager': 'SecretsManager' };
    const models = (client: string) =>
      join(REPO_ROOT, 'node_modules', '@aws-sdk', `client-${client}`, 'dist-es', 'models');
    // Every client a function uses is of the generated form (a new SDK release that is not fails here, not silently).
    for (const client of Object.keys(clients))
      expect(compactServiceErrors(readFileSync(join(models(client), 'errors.js'), 'utf8')), client).toMatch(
        /__serviceErrorClass/,
      );
    const contents = Object.entries(clients)
      .map(
        ([client, name]) =>
          `export * as ${name} from ${JSON.stringify(join(models(client), 'errors.js'))}; export { ${name}ServiceException as ${name}Base } from ${JSON.stringify(join(models(client), `${name}ServiceException.js`))};`,
      )
      .join('\n');
    const stdin = { contents, resolveDir: REPO_ROOT, sourcefile: 'service-errors-entry.js', loader: 'js' as const };
    // Names kept, so the generated classes are named as they are run from source.
    const options = {
      ...functionBuildOptions('http/form-page', join(dir, 'errors'), DEFAULT_DESK_CONFIG),
      entryPoints: undefined,
      stdin,
      sourcemap: false,
      minify: false,
      keepNames: true,
    };
    await build({ ...options, outfile: join(dir, 'errors', 'compact.mjs') });
    await build({ ...options, outfile: join(dir, 'errors', 'generated.mjs'), plugins: [] });
    const classBodies = (kind: string) =>
      readFileSync(join(dir, 'errors', `${kind}.mjs`), 'utf8').split('Object.setPrototypeOf(this, ').length - 1;
    // The service exception, each client's, and the one in the factory; not one per exception.
    expect(classBodies('compact')).toBe(7);
    expect(classBodies('generated')).toBeGreaterThan(100);
    const [compact, generated] = await Promise.all([
      loadModule(join(dir, 'errors', 'compact.mjs')),
      loadModule(join(dir, 'errors', 'generated.mjs')),
    ]);
    /** What a program can see of an instance: its own properties in order, its prototype chain, and what instanceof answers. */
    const seen = (module: Record<string, any>, client: string, name: string) => {
      const ErrorClass = module[client][name];
      const bare = new ErrorClass({});
      // The members are the fields the generated constructor declares beyond the service exception's own.
      const members = Object.keys(bare).filter(
        (key) => !['name', '$fault', '$metadata', '$retryable', 'message'].includes(key),
      );
      const error = new ErrorClass({
        message: 'refused',
        $metadata: { httpStatusCode: 400, requestId: 'r-1' },
        ...Object.fromEntries(members.map((member, i) => [member, `value ${i}`])),
      });
      const chain = [];
      for (
        let proto = Object.getPrototypeOf(error);
        proto && proto !== Object.prototype;
        proto = Object.getPrototypeOf(proto)
      )
        chain.push(Object.hasOwn(proto.constructor, 'shapeId') ? proto.constructor.shapeId : proto.constructor.name);
      const others = Object.keys(module[client]).filter((other) => other !== name);
      return {
        className: ErrorClass.name,
        shapeId: ErrorClass.shapeId,
        own: Object.getOwnPropertyNames(error)
          .filter((key) => key !== 'stack')
          .map((key) => [
            key,
            (error as Record<string, unknown>)[key],
            Object.getOwnPropertyDescriptor(error, key)!.enumerable,
          ]),
        chain,
        isItself: error instanceof ErrorClass,
        isServiceException: error instanceof module[`${client}Base`],
        isError: error instanceof Error,
        isAnother: others.filter((other) => error instanceof module[client][other]),
        stackNamesIt: String(error.stack).startsWith(`${name}: refused`),
      };
    };
    let classes = 0;
    for (const client of Object.values(clients)) {
      expect(Object.keys(compact[client]).sort()).toEqual(Object.keys(generated[client]).sort());
      for (const name of Object.keys(generated[client])) {
        expect(seen(compact, client, name), `${client} ${name}`).toEqual(seen(generated, client, name));
        classes += 1;
      }
    }
    expect(classes).toBeGreaterThan(100);
  });

  it('parse mail in the trimmed bundle as the whole parser does: Chinese, English, Unicode, UTF-7 and single-byte charsets, quoted-printable and base64, HTML, attachments, Japanese and Korean', async () => {
    // The mail parser as ReceiveMail's bundle has it, and whole (no aliases, no plugins).
    const stdin = {
      contents:
        "export { simpleParser } from 'mailparser'; export { default as iconv } from 'iconv-lite'; export { encode as heEncode } from 'he';",
      resolveDir: REPO_ROOT,
      sourcefile: 'mail-parser-entry.js',
      loader: 'js' as const,
    };
    const options = {
      ...functionBuildOptions('mail/receive-mail', join(dir, 'mail'), DEFAULT_DESK_CONFIG),
      entryPoints: undefined,
      stdin,
      sourcemap: false,
      metafile: true,
    };
    const { metafile } = await build({ ...options, outfile: join(dir, 'mail', 'trimmed.mjs') });
    await build({ ...options, outfile: join(dir, 'mail', 'whole.mjs'), alias: {}, plugins: [] });
    const inputs = Object.entries(Object.values(metafile!.outputs)[0]!.inputs).filter(
      ([, { bytesInOutput }]) => bytesInOutput > 0,
    );
    const bundled = (pattern: RegExp) =>
      inputs.filter(([input]) => pattern.test(input)).map(([input, { bytesInOutput }]) => [input, bytesInOutput]);
    // Left out: he's tables, the domain list and the linkifier, the HTML writer and its entities release…
    expect(bundled(/^node_modules\/(he|tlds|uc\.micro|dom-serializer|entities)\//)).toEqual([]);
    expect(bundled(/linkify-it\//).every(([, bytes]) => Number(bytes) < 300)).toBe(true);
    // …and kept: every charset table, Chinese, Japanese and Korean.
    expect(
      bundled(
        /iconv-lite\/encodings\/tables\/(cp936|gbk-added|gb18030-ranges|cp950|big5-added|shiftjis|eucjp|cp949)\.json$/,
      ).every(([, bytes]) => Number(bytes) > 1000),
    ).toBe(true);
    expect(bundled(/iconv-lite\/encodings\/tables\//)).toHaveLength(8);
    const [trimmed, whole] = await Promise.all([
      loadModule(join(dir, 'mail', 'trimmed.mjs')),
      loadModule(join(dir, 'mail', 'whole.mjs')),
    ]);

    const encode = (text: string, charset: string): Buffer => whole.iconv.encode(text, charset);
    const base64 = (bytes: Buffer) => bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
    const quotedPrintable = (bytes: Buffer) => {
      let out = '';
      let line = '';
      for (const byte of bytes) {
        const char =
          (byte >= 33 && byte <= 126 && byte !== 61) || byte === 32
            ? String.fromCharCode(byte)
            : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
        if (line.length + char.length > 73) [out, line] = [`${out}${line}=\r\n`, ''];
        line += char;
      }
      return out + line;
    };
    const wordB = (text: string, charset: string) => `=?${charset}?B?${encode(text, charset).toString('base64')}?=`;
    const wordQ = (text: string, charset: string) =>
      `=?${charset}?Q?${[...encode(text, charset)].map((byte) => (/[0-9A-Za-z]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('')}?=`;
    const message = (headers: string[], ...body: (string | Buffer)[]) =>
      Buffer.concat([
        Buffer.from([...headers, 'MIME-Version: 1.0', '', ''].join('\r\n')),
        ...body.map((part) => (Buffer.isBuffer(part) ? part : Buffer.from(part))),
      ]);
    const head = (subject: string, contentType: string, encoding?: string) => [
      'From: Li Lei <li.lei@example.com>',
      'To: complaints@example.org',
      `Subject: ${subject}`,
      `Message-ID: <${randomUUID()}@example.com>`,
      `Content-Type: ${contentType}`,
      ...(encoding ? [`Content-Transfer-Encoding: ${encoding}`] : []),
    ];
    const textMail = (
      charset: string,
      subject: string,
      text: string,
      encoding: 'base64' | 'quoted-printable' | '8bit' = 'base64',
      word = wordB,
    ) =>
      message(
        head(word(subject, charset), `text/plain; charset=${charset}`, encoding),
        encoding === 'base64'
          ? base64(encode(text, charset))
          : encoding === 'quoted-printable'
            ? quotedPrintable(encode(text, charset))
            : encode(text, charset),
      );
    const zh = '我在11月3日被银行卡重复扣款两次，请退还一次。客服电话打不通。';
    const zhRare = '喆、堃、镕、昇、珺、玥——人名用字；￥100，€5，“引号”…';
    const zhTraditional = '我在十一月三日被銀行卡重複扣款兩次，請退還一次。';
    const parts = (boundary: string, ...bodies: (string | Buffer)[][]) => [
      ...bodies.flatMap((body) => [`--${boundary}\r\n`, ...body]),
      `--${boundary}--\r\n`,
    ];
    const corpus: Record<string, Buffer> = {
      'UTF-8, base64, emoji and an astral character': textMail('utf-8', '银行卡被重复扣款 😀', `${zh} 😀 𠀀`),
      'UTF-8, quoted-printable': textMail(
        'utf-8',
        'Double charge — “café”',
        `Naïve café résumé — 中文 ${zh}`,
        'quoted-printable',
        wordQ,
      ),
      'GB2312, quoted-printable': textMail('gb2312', '银行卡被重复扣款', zh, 'quoted-printable'),
      'GB2312, 8bit, Q-encoded subject': textMail('gb2312', '投诉', zh, '8bit', wordQ),
      'EUC-CN label': textMail('euc-cn', '投诉', zh),
      'GBK beyond GB2312': textMail('gbk', zhRare, zhRare + zh),
      'x-gbk label': textMail('x-gbk', zhRare, zhRare),
      'GB18030, four-byte sequences': textMail('gb18030', '四字节 𠀀𪚥 😀', `四字节汉字 𠀀𪚥 和表情 😀 ${zhRare}`),
      Big5: textMail('big5', '銀行卡被重複扣款', zhTraditional),
      'Big5-HKSCS': textMail('big5-hkscs', '香港字 㗎 嘅 咗', `佢哋話呢個月嘅帳單多咗一筆 㗎${zhTraditional}`),
      CP950: textMail('cp950', '繁體', zhTraditional),
      'ISO-8859-1': textMail(
        'iso-8859-1',
        'Réclamation: café, façade',
        'Je suis très mécontent ; ¿Qué? Straße',
        'quoted-printable',
        wordQ,
      ),
      'ISO-8859-2': textMail(
        'iso-8859-2',
        'Stížnost: žluťoučký kůň',
        'Příliš žluťoučký kůň úpěl ďábelské ódy. Zażółć gęślą jaźń.',
      ),
      'ISO-8859-7': textMail('iso-8859-7', 'Παράπονο', 'Ξεσκεπάζω την ψυχοφθόρα βδελυγμία'),
      'ISO-8859-15': textMail('iso-8859-15', 'Prix 5 €', 'Ça coûte 5 € œuvre Šš Žž', 'quoted-printable'),
      'Windows-1252': textMail(
        'windows-1252',
        '“Smart quotes” – dash…',
        '“Smart quotes” – en dash — em dash… €5 ™',
        'quoted-printable',
      ),
      'Windows-1251': textMail('windows-1251', 'Жалоба', 'Съешь же ещё этих мягких французских булок, да выпей чаю.'),
      'KOI8-R': textMail('koi8-r', 'Жалоба', 'Съешь же ещё этих мягких французских булок'),
      'US-ASCII, 7bit': message(
        head('Plain complaint', 'text/plain; charset=us-ascii', '7bit'),
        'Plain ASCII text only.',
      ),
      'UTF-7 subject and body': message(
        head(
          `=?UTF-7?Q?+ZeVnLIqe-_+kdF4bA-?= =?utf-7?B?${Buffer.from('+bEmY-').toString('base64')}?=`,
          'text/plain; charset=utf-7',
          '7bit',
        ),
        '+ZeVnLIqe- and +kdF4bA- 100+AKM-',
      ),
      'UTF-16 with a byte-order mark': message(
        head('utf16', 'text/plain; charset=utf-16', 'base64'),
        base64(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(zh, 'utf16le')])),
      ),
      'addresses: encoded names, a group, an IDN domain': message(
        [
          `From: ${wordB('李雷', 'gbk')} <li@example.com>`,
          `To: ${wordB('投诉中心', 'gb2312')} <complaints@example.org>, "Hàn" <han@xn--fiqs8s.xn--fiqz9s>`,
          `Cc: ${wordQ('張三', 'big5')} <zhang@example.com>, group: a@example.com, b@example.com;`,
          `Subject: ${wordB('地址', 'gb18030')}`,
          'Content-Type: text/plain; charset=utf-8',
        ],
        'addresses',
      ),
      'HTML only, GB2312': message(
        head(wordB('网页邮件', 'gb2312'), 'text/html; charset=gb2312', 'base64'),
        base64(
          encode(
            `<html><head><style>p{color:red}</style></head><body><h1>投诉</h1><p>${zh}&nbsp;&amp;&lt;&gt;&#x4E2D;&#25991;&yen;&copy;&hellip;</p><ul><li>一</li><li>二</li></ul><table><tr><td>甲</td><td>乙</td></tr></table><a href="https://example.com/x?a=1&amp;b=2">链接</a><br><img src="cid:x" alt="图"></body></html>`,
            'gb2312',
          ),
        ),
      ),
      'alternative: GBK text, Big5 HTML': message(
        head('alt', 'multipart/alternative; boundary="b1"'),
        ...parts(
          'b1',
          [
            'Content-Type: text/plain; charset=gbk\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n',
            quotedPrintable(encode(zhRare, 'gbk')),
            '\r\n',
          ],
          [
            'Content-Type: text/html; charset=big5\r\nContent-Transfer-Encoding: base64\r\n\r\n',
            base64(encode(`<p>${zhTraditional} &amp; &quot;x&quot;</p>`, 'big5')),
            '\r\n',
          ],
        ),
      ),
      'attachments: flowed text, RFC 2231 and encoded-word file names, octet-stream typed by name': message(
        head('att', 'multipart/mixed; boundary="b2"'),
        ...parts(
          'b2',
          [
            'Content-Type: text/plain; charset=utf-8; format=flowed\r\n\r\nA flowed line that goes on \r\nand on.\r\n> quoted\r\n',
          ],
          [
            `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=gb2312''${[...encode('扣款记录.pdf', 'gb2312')].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('')}\r\nContent-Transfer-Encoding: base64\r\n\r\n`,
            base64(Buffer.from('%PDF-1.4 fake')),
            '\r\n',
          ],
          [
            `Content-Type: image/png; name="${wordB('截图.png', 'gbk')}"\r\nContent-Disposition: attachment; filename="${wordB('截图.png', 'gbk')}"\r\nContent-Transfer-Encoding: base64\r\n\r\n`,
            base64(Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])),
            '\r\n',
          ],
          [
            'Content-Type: application/octet-stream; name="report.xlsx"\r\nContent-Transfer-Encoding: base64\r\n\r\n',
            base64(Buffer.from('xlsx')),
            '\r\n',
          ],
        ),
      ),
      // An inline forwarded message's headers go into the HTML through he.encode.
      'a forwarded message, headers written into the HTML': message(
        head('Fwd', 'multipart/mixed; boundary="b3"'),
        ...parts(
          'b3',
          ['Content-Type: text/html; charset=utf-8\r\n\r\n<p>See below &amp; “this”</p>\r\n'],
          [
            'Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n',
            [
              `From: ${wordB('王五 "Wang" <&>', 'gbk')} <wang@example.com>`,
              'To: x@example.com',
              `Subject: ${wordB('原始邮件 <b>&"\'` 😀', 'gb18030')}`,
              'Date: Tue, 3 Nov 2026 10:00:00 +0800',
              'Content-Type: text/html; charset=gbk',
              '',
              '',
            ].join('\r\n'),
            encode('<p>原文 &amp; 内容</p>', 'gbk'),
            '\r\n',
          ],
        ),
      ),
      'an unknown charset (not decoded, in both)': message(
        head(
          `=?x-unknown?B?${Buffer.from([0xc4, 0xe3, 0xba, 0xc3]).toString('base64')}?=`,
          'text/plain; charset=x-unknown-charset',
          'base64',
        ),
        base64(Buffer.from([0xc4, 0xe3, 0xba, 0xc3])),
      ),
      'broken GBK': message(
        head(`=?gbk?B?${Buffer.from([0xc4, 0xe3, 0xba]).toString('base64')}?=`, 'text/plain; charset=gbk', 'base64'),
        base64(Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x81, 0x20, 0xff, 0xc4])),
      ),
    };
    Object.assign(corpus, {
      'ISO-2022-JP': message(
        head(
          `=?ISO-2022-JP?B?${Buffer.from('\x1b$B$3$s$K$A$O\x1b(B', 'latin1').toString('base64')}?=`,
          'text/plain; charset=iso-2022-jp',
          '7bit',
        ),
        '\x1b$B$3$s$K$A$O\x1b(B',
      ),
      Shift_JIS: textMail('shift_jis', 'こんにちは', '日本語のテキストです。'),
      'EUC-JP': textMail('euc-jp', 'こんにちは', '日本語のテキストです。'),
      'EUC-KR': textMail('euc-kr', '안녕하세요', '한국어 텍스트입니다.'),
      'ks_c_5601-1987': textMail('ks_c_5601-1987', '안녕하세요', '한국어 텍스트입니다.'),
    });
    /** Everything the parser gives, as Redress calls it (functions/app/receive-mail.ts), as plain data. */
    const parse = async (parser: Record<string, any>, raw: Buffer) => {
      const parsed = await parser.simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true });
      return JSON.parse(
        JSON.stringify({
          ...parsed,
          headers: [...parsed.headers],
          attachments: parsed.attachments.map((attachment: { content: Buffer }) => ({
            ...attachment,
            content: attachment.content.toString('base64'),
          })),
        }),
      ) as Record<string, any>;
    };
    for (const [name, raw] of Object.entries(corpus))
      expect(await parse(trimmed, raw), name).toEqual(await parse(whole, raw));
    // The samples say what they are meant to (so the comparison above compares decoded text).
    const decoded = await parse(trimmed, corpus['GB18030, four-byte sequences']!);
    expect([decoded.subject, decoded.text]).toEqual(['四字节 𠀀𪚥 😀', `四字节汉字 𠀀𪚥 和表情 😀 ${zhRare}`]);
    expect((await parse(trimmed, corpus['Big5-HKSCS']!)).subject).toBe('香港字 㗎 嘅 咗');
    expect((await parse(trimmed, corpus['UTF-7 subject and body']!)).text).toBe('日本語 and 金硬 100£');
    expect((await parse(trimmed, corpus['HTML only, GB2312']!)).text).toContain('投诉\n\n我在11月3日');
    expect((await parse(trimmed, corpus['a forwarded message, headers written into the HTML']!)).html).toContain(
      '&#x539F;&#x59CB;',
    );
    expect(
      (
        await parse(
          trimmed,
          corpus['attachments: flowed text, RFC 2231 and encoded-word file names, octet-stream typed by name']!,
        )
      ).attachments.map((a: { filename: string; contentType: string }) => [a.filename, a.contentType]),
    ).toEqual([
      ['扣款记录.pdf', 'application/pdf'],
      ['截图.png', 'image/png'],
      ['report.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ]);
    expect((await parse(trimmed, corpus.Shift_JIS!)).text.trim()).toBe('日本語のテキストです。');
    expect((await parse(trimmed, corpus['EUC-KR']!)).text.trim()).toBe('한국어 텍스트입니다.');
    // he.encode's default rules, for every UTF-16 code unit and for astral pairs.
    const everyCodeUnit = Array.from({ length: 0x10000 }, (_, unit) => String.fromCharCode(unit)).join('');
    expect(trimmed.heEncode(everyCodeUnit)).toBe(whole.heEncode(everyCodeUnit));
    for (const text of ['a😀b𠀀c', '<&>"\'`', '\udfff\ud800x'])
      expect(trimmed.heEncode(text)).toBe(whole.heEncode(text));
  });

  it('fail with the variable’s name when a function reads one it was not given', async () => {
    await build(functionBuildOptions('http/form-page', join(dir, 'no-bucket'), DEFAULT_DESK_CONFIG));
    const { result, logs } = invokeBundle(
      join(dir, 'no-bucket', BUNDLE_FILE),
      { httpMethod: 'GET', path: '/', headers: {}, queryStringParameters: null },
      { PUBLIC_BASE_URL: 'https://complaints.example.org', AWS_REGION: 'eu-west-1' },
    );
    expect(result.statusCode).toBe(500);
    expect(logs).toContain('Environment variable EVIDENCE_BUCKET is not set');
  });
});
