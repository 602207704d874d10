/** Where the CLI writes: stdout carries results only (one JSON value with --json), stderr everything else. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input, for `--password-stdin`; absent: there is none. */
  stdin?(): Promise<string>;
}
