/**
 * Splits a byte stream into newline-delimited lines without ever holding more than
 * `maxLineBytes` of one line: a line that grows past the limit is dropped as it streams in
 * and reported once, when its newline arrives, so a peer that never sends `\n` cannot make
 * us buffer without bound.
 *
 * Splitting happens on bytes, not characters: 0x0A never occurs inside a multi-byte UTF-8
 * sequence, so a character split across chunks is reassembled before it is decoded.
 */
export class NdjsonLineReader {
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  /** Bytes of the current line seen so far, counting what was dropped once it overflowed. */
  private lineBytes = 0;
  private overflowing = false;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOversizedLine: (lineBytes: number) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) {
        this.take(chunk.subarray(start));
        return;
      }
      this.take(chunk.subarray(start, newline));
      this.endLine();
      start = newline + 1;
    }
  }

  /** The stream ended: a last line without a trailing newline still counts. */
  end(): void {
    if (this.lineBytes > 0) this.endLine();
  }

  private take(piece: Buffer): void {
    if (piece.length === 0) return;
    this.lineBytes += piece.length;
    if (this.overflowing) return;
    if (this.lineBytes > this.maxLineBytes) {
      this.overflowing = true;
      this.chunks = [];
      this.bufferedBytes = 0;
      return;
    }
    this.chunks.push(piece);
    this.bufferedBytes += piece.length;
  }

  private endLine(): void {
    const { overflowing, lineBytes } = this;
    const text = overflowing
      ? ''
      : (this.chunks.length === 1
          ? this.chunks[0]!
          : Buffer.concat(this.chunks, this.bufferedBytes)
        ).toString('utf8');
    this.chunks = [];
    this.bufferedBytes = 0;
    this.lineBytes = 0;
    this.overflowing = false;
    if (overflowing) {
      this.onOversizedLine(lineBytes);
      return;
    }
    // Windows peers may send CRLF; blank lines are keep-alive noise, not messages.
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (line.trim().length > 0) this.onLine(line);
  }
}
