import { NestedStack, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** Replaces each `{ Ref: <parameter> }` by what the parent passes for it. */
function substitute(value: unknown, parameters: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => substitute(v, parameters));
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1 && entries[0]![0] === 'Ref' && typeof entries[0]![1] === 'string') {
    const passed = parameters[entries[0]![1] as string];
    if (passed !== undefined) return passed;
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, substitute(v, parameters)]));
}

/**
 * A stack's template with the resources of its nested stacks (the alarms and dashboard) beside its
 * own, each reference to a value the parent passes in replaced by that value, so an assertion
 * finds a resource, and what it refers to, wherever the stack put it.
 */
export function withNestedStacks(stack: Stack): Template {
  const parent = Template.fromStack(stack).toJSON();
  const separate = [parent];
  const parameters: Record<string, unknown> = {};
  for (const resource of Object.values(parent.Resources as Record<string, any>))
    if (resource.Type === 'AWS::CloudFormation::Stack') Object.assign(parameters, resource.Properties?.Parameters);
  const resources = { ...parent.Resources };
  for (const nested of stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack)) {
    const template = Template.fromStack(nested).toJSON();
    separate.push(template);
    Object.assign(resources, substitute(template.Resources, parameters));
  }
  const merged = Template.fromJSON({ ...parent, Resources: resources });
  deployed.set(merged, separate);
  return merged;
}

const deployed = new WeakMap<Template, Record<string, any>[]>();

/** The templates CloudFormation deploys (the stack's and each nested stack's), for a linter. */
export function deployedTemplates(merged: Template): Record<string, any>[] {
  return deployed.get(merged) ?? [merged.toJSON()];
}
