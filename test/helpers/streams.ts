/** In-memory stdout/stderr for running the CLI in-process. */
export interface CapturedStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  readonly text: string;
}

export function captureStream(isTTY = false): CapturedStream {
  let text = "";
  return {
    isTTY,
    write(chunk: string) {
      text += chunk;
      return true;
    },
    get text() {
      return text;
    },
  };
}
