// The router as tests build it: the real one, except that a call whose handler raised an error
// code its channel does not list in main/api rejects, so the per-channel lists stay true.
import { createRouter as createProductionRouter, type Handlers, type Router, type RouterOptions } from './router';

export function createRouter(handlers: Handlers, options: RouterOptions = {}): Router {
  const undeclared: string[] = [];
  const router = createProductionRouter(handlers, {
    onUndeclaredError: (channel, code) => undeclared.push(`${channel} raised ${code}`),
    ...options,
  });
  return {
    async invoke(channel, input) {
      const result = await router.invoke(channel, input);
      if (undeclared.length) throw new Error(`${undeclared.splice(0).join('; ')}, which main/api does not list for it`);
      return result;
    },
  };
}
