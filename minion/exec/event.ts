/** `event.send TAG [DATA]`: fire an event on the master's bus, as Salt's event.send does from a minion. */
import { isDict } from '../../common/sls/shape';
import type { Dict } from '../../common/types';
import { plain, type ExecFunction } from './contract';

const send: ExecFunction = async (args, kwargs, minion) => {
  const tag = args[0] ?? kwargs.tag;
  if (typeof tag !== 'string' || tag === '') return plain('event.send needs a tag: event.send my/tag [data]', 1);
  const rawData = args[1] ?? kwargs.data ?? {};
  const data: Dict = isDict(rawData) ? rawData : { data: rawData };
  if (!minion.sendEvent) return plain('event.send needs a master: masterless calls (brine call --local) have no event bus', 1);
  return plain(await minion.sendEvent(tag, data));
};

/** The registry of event functions. */
export const eventFunctions: Record<string, ExecFunction> = {
  'event.send': send,
  'event.fire_master': send,
};
