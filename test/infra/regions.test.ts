import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { regionProblems, SES_RECEIVING_REGIONS, SES_SENDING_REGIONS, targetRegion } from '../../infra/regions';

const withInbound = { desk: { ...DEFAULT_DESK_CONFIG, inbound: { ...DEFAULT_DESK_CONFIG.inbound, enabled: true } } };

describe('the region a deployment targets', () => {
  it('names only regions the CDK knows', () => {
    const known = new Set(RegionInfo.regions.map((r) => r.name));
    for (const region of [...SES_SENDING_REGIONS, ...SES_RECEIVING_REGIONS]) expect(known, region).toContain(region);
  });

  it('is the config’s region, else the CDK CLI’s default', () => {
    expect(targetRegion({ region: 'eu-west-1' }, { CDK_DEFAULT_REGION: 'us-east-1' })).toBe('eu-west-1');
    expect(targetRegion({}, { CDK_DEFAULT_REGION: 'us-east-1' })).toBe('us-east-1');
    expect(targetRegion({}, {})).toBeUndefined();
  });

  it('refuses email in where SES has no receiving, in one line naming the region and those that work', () => {
    const problems = regionProblems(withInbound, 'ap-south-2');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^ap-south-2 has no SES email receiving \(needed for desk\.inbound\.enabled\); deploy to one of: .*us-east-1/,
    );
    expect(regionProblems(withInbound, 'eu-west-1')).toEqual([]);
    const withoutInbound = {
      desk: { ...DEFAULT_DESK_CONFIG, inbound: { ...DEFAULT_DESK_CONFIG.inbound, enabled: false } },
    };
    expect(regionProblems(withoutInbound, 'ap-south-2'), 'sending alone works there').toEqual([]);
  });

  it('stops cdk synth before anything is built, one line each, in a region without SES (a China region)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'redress-region-'));
    try {
      const file = path.join(dir, 'redress.config.json');
      writeFileSync(file, JSON.stringify({ mailFrom: 'complaints@example.cn', desk: { ...withInbound.desk } }));
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
        cwd: path.resolve(import.meta.dirname, '../..'),
        env: {
          ...process.env,
          CDK_DEFAULT_REGION: 'cn-north-1',
          CDK_CONTEXT_JSON: JSON.stringify({ 'redress:config': file }),
        },
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toEqual([
        expect.stringMatching(/^cn-north-1 has no Amazon SES \(sending\) .*deploy to one of: .*us-east-1/),
        expect.stringMatching(
          /^cn-north-1 has no SES email receiving \(needed for desk\.inbound\.enabled\); deploy to one of: /,
        ),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
