import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { holidayDataWarnings } from '../functions/domain/desk';
import { InvalidConfigError } from '../functions/domain/config';
import { loadDeploymentConfig, stackIdOf, type DeploymentConfig } from './deploy-config';
import { RedressStack } from './redress-stack';
import { regionProblems, targetRegion } from './regions';

/**
 * `cdk synth` / `cdk deploy` entry. Reads `redress.config.json` at the repository root (or the
 * file named by `-c redress:config=PATH`), builds the `Redress` stack and runs the cdk-nag
 * AWS Solutions checks, whose unacknowledged findings fail synth.
 */

const app = new App();

let config: DeploymentConfig;
try {
  const path: unknown = app.node.tryGetContext('redress:config');
  config = loadDeploymentConfig(typeof path === 'string' ? path : undefined);
} catch (error) {
  if (!(error instanceof InvalidConfigError)) throw error;
  // The operator's mistake, not a crash: name each bad field and stop.
  console.error(error.message);
  process.exit(1);
}

// What the region lacks stops synth, one line each: a deploy would fail half-way there.
const region = targetRegion(config);
const problems = region ? regionProblems(config, region) : [];
if (problems.length) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
if (!region)
  console.warn(
    'No region known at synth (set "region" in redress.config.json, or a default region in your AWS profile): its services are not checked',
  );

// A working calendar short of holiday data for the next 90 days still deploys: its clocks count
// ordinary weekdays there and mark those deadlines provisional. The operator hears it now.
for (const warning of holidayDataWarnings(config.desk, new Date())) console.warn(warning);

Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

new RedressStack(app, stackIdOf(config), {
  config,
  description: 'Redress complaint handling: API Gateway, Lambda, DynamoDB, S3, Step Functions, SES',
});

app.synth();
