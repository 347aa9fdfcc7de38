export interface BenchSuite {
  name: string;
  title: string;
  /** human-readable targets by figure name, printed beside the figure */
  targets?: Record<string, string>;
  /** runs the suite; `log` prints progress lines (stderr under --json) */
  run(log: (line: string) => void): Promise<Record<string, number | string>>;
}
