import type { Channel } from '../../../domain/notice';
import type { ChannelAdapter } from './channel';
import { emailChannel } from './email';
import { smsChannel } from './sms';

/** The channels the desk sends by; a new channel is its adapter and one line here. */
export const CHANNEL_ADAPTERS: Partial<Record<Channel, ChannelAdapter>> = {
  email: emailChannel,
  sms: smsChannel,
};

/** The channels that have a form of `template`. */
export function channelsSaying(template: string): Channel[] {
  return Object.values(CHANNEL_ADAPTERS)
    .filter((adapter) => adapter.says(template))
    .map((adapter) => adapter.channel);
}

export function adapterOf(channel: Channel): ChannelAdapter {
  const adapter = CHANNEL_ADAPTERS[channel];
  if (!adapter) throw new Error(`no adapter for channel ${channel}`);
  return adapter;
}
