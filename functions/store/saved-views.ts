import { createHash } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../lib/clients/dynamo';
import { PARTITIONS } from './schema';
import { tableName } from './table';

/**
 * Saved case views: `SAVEDVIEW#USER#<sha256(email)>` (a person's own) and `SAVEDVIEW#TEAM#<team>`
 * (shared with a team), each view one small item `VIEW#<id>`. A member's list reads their own
 * partition and one per team: a page each, never more than MAX_VIEWS items.
 */
export const MAX_VIEWS = 50;

export interface SavedView {
  id: string;
  name: string;
  /** The view's query string (domain/case-views.ts viewQueryOf). */
  query: string;
  owner: { personal: string } | { team: string };
  createdBy: string;
  createdAt: string;
}

const ownerKey = (owner: SavedView['owner']) =>
  'personal' in owner
    ? `${PARTITIONS.savedView}USER#${createHash('sha256').update(owner.personal).digest('hex')}`
    : `${PARTITIONS.savedView}TEAM#${owner.team}`;

/** Stores a view under its owner: false when the owner already has MAX_VIEWS of them. */
export async function putSavedView(view: SavedView, existing: number): Promise<boolean> {
  if (existing >= MAX_VIEWS) return false;
  await dynamo.send(
    new PutCommand({
      TableName: tableName(),
      Item: { pk: ownerKey(view.owner), sk: `VIEW#${view.id}`, ...view },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return true;
}

/** An owner's views, oldest first (at most MAX_VIEWS). */
export async function savedViewsOf(owner: SavedView['owner']): Promise<SavedView[]> {
  const { Items } = await dynamo.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :view)',
      ExpressionAttributeValues: { ':pk': ownerKey(owner), ':view': 'VIEW#' },
      Limit: MAX_VIEWS,
    }),
  );
  return (Items ?? []).map(({ pk: _pk, sk: _sk, ...view }) => view as SavedView);
}
