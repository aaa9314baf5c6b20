import { tableName } from './table';
import { PARTITIONS } from './schema';

/** A complaint number reserved for one complaint: `NUMBER#<number>` / `META`. Unique by its condition. */
export function numberKey(number: string) {
  return { pk: `${PARTITIONS.number}${number}`, sk: 'META' };
}

export interface NumberItem {
  complaintId: string;
}

/** The Put that reserves a number; it fails if the number is taken (a collision: pick another). */
export function reserveNumber(number: string, complaintId: string) {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...numberKey(number), complaintId } satisfies NumberItem & object,
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
