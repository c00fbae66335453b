import { describeTransportContract } from '../transport-contract.ts';
import { InProcessBus } from './bus.ts';

describeTransportContract('in-process bus', async () => ({
  transport: new InProcessBus(),
  topic: (base) => base,
  group: (base) => base,
}));
