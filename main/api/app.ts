// app.*: what is running.
import { z } from 'zod';
import { def, Empty, type NamespaceChannels } from './common';
import { HARNESSES } from './constants';

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  harness: z.enum(HARNESSES),
});

export const appChannels = {
  'app.info': def(Empty, AppInfo, []),
} as const satisfies NamespaceChannels<'app'>;
