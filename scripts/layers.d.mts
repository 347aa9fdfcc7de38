// Types of scripts/layers.mjs for the TypeScript import test.
export type Runtime = 'node' | 'dom' | 'universal' | 'electron';
export const DEPENDENCY_RUNTIMES: Readonly<Record<string, Runtime>>;
export function packageName(spec: string): string;
export function runtimeOf(spec: string): Runtime | undefined;
export interface Layer {
  name: string;
  runtimes: Runtime[];
  allowTarget(target: string, typeOnly: boolean): boolean;
  why: string;
}
export function layerOf(file: string): Layer;
